/** Fleet search: an in-memory index of every observed object, fed by {@code fleet.resources.v1}. */
package io.meridian.inventory.search;
