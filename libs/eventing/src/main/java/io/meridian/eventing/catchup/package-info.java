/**
 * Knowing when an in-memory view built from compacted topics has read them as far as they went: {@link
 * io.meridian.eventing.catchup.StreamCatchUp}, which observability's fleet view and placement's share.
 */
package io.meridian.eventing.catchup;
