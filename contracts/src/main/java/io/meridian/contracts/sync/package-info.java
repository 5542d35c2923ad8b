/** Per-bundle sync status and drift on {@code fleet.sync.v1}, keyed {@code owner/clusterId}. */
package io.meridian.contracts.sync;
