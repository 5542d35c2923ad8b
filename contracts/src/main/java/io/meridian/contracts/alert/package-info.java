/** Alert lifecycle on {@code fleet.alerts.v1}, keyed by alert fingerprint. */
package io.meridian.contracts.alert;
