package io.meridian.inventory.connect;

import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker.GroupKind;
import java.util.List;

/** Where a cluster connection sends what it observes: {@link ResourcePublisher} in the service. */
interface ResourceFeed {

    void observed(ObservedResource resource);

    /** A deletion of the object with this record key. */
    void deleted(String clusterId, String key);

    void resyncStarted(String clusterId, long epoch);

    /**
     * The relist of {@code epoch} ended; the kinds in {@code notResynced} could not be listed completely, so their
     * objects of older epochs are not gone.
     */
    void resyncCompleted(String clusterId, long epoch, int objectCount, List<GroupKind> notResynced);
}
