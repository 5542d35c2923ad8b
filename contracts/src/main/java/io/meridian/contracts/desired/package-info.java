/**
 * Desired bundles on their owner's topic ({@code fleet.desired.<owner>.v1}), keyed {@code owner/clusterId}: the whole
 * set of objects one owner wants on one cluster. A tombstone means the owner wants nothing there.
 */
package io.meridian.contracts.desired;
