/** Access-grant lifecycle on {@code fleet.access.v1}, keyed by subject. */
package io.meridian.contracts.access;
