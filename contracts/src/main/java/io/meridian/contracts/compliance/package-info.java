/** Compliance results and violations on {@code fleet.compliance.v1}, keyed {@code policy/clusterId/object}. */
package io.meridian.contracts.compliance;
