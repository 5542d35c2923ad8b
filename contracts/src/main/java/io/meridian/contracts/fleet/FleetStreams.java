package io.meridian.contracts.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.cost.ClusterRatesPublished;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.contracts.placement.PlacementFact;
import io.meridian.contracts.placement.PlacementKey;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes records of the fleet streams that consumers fold into a view, {@code fleet.clusters.v1}, {@code
 * fleet.resources.v1}, {@code fleet.placement.v1} and the cluster rates of {@code fleet.cost.v1}, the one way every
 * consumer reads them.
 *
 * <p>The rule, for every topic:
 *
 * <ul>
 *   <li>A record with a value is a binary-mode CloudEvent: a missing key, a missing or malformed required {@code
 *       ce_*} header, or data that is not the type's record throw {@link UnreadableEventException}.
 *   <li>An <b>unknown event type</b> (a newer producer's) is <b>skipped</b>: it decodes to {@code Skipped}, which the
 *       consumer counts and passes over. A newer producer must never dead-letter an older consumer.
 *   <li>A <b>known type that does not belong on the topic</b> (say a {@code resource.observed} on {@code
 *       fleet.clusters.v1}) throws {@link UnreadableEventException}: it is a misrouted record, and the caller's
 *       dead-letter path parks it on {@code <topic>.dlq} with the reason.
 *   <li>A <b>tombstone</b> (no value) removes its key whatever its {@code ce_type} (none, the deletion type, any other
 *       type of the topic, or an unknown one), because compaction will remove the key anyway: a consumer that kept it
 *       would differ from one that replays the topic. On {@code fleet.clusters.v1} it is {@link
 *       ClusterEvent.Deregistered}, on {@code fleet.resources.v1} {@link ResourceEvent.Deleted}. Only its key is
 *       required; a tombstone typed for another topic is misrouted and unreadable.
 *   <li>A deletion of a resync-marker key ({@code clusterId/~resync}) deletes no object: it is skipped.
 * </ul>
 *
 * <p>On {@code fleet.placement.v1} a tombstone removes the fact of its {@link PlacementKey}; a key of another shape (a
 * newer producer's) is skipped. A known type whose data belongs under another key than the record's is unreadable:
 * compaction would keep the wrong record. For a reader of rates on {@code fleet.cost.v1}, the summaries and budget
 * events of scopes, their tombstones and newer types on scope keys are {@link RatesEvent.Unrelated}: not skipped, since
 * nothing is amiss; only a newer type under a {@code rates/} key is {@link RatesEvent.Skipped}.
 */
public final class FleetStreams {

    /** The {@code type} a skipped record without a {@code ce_type} header is counted under. */
    public static final String NO_TYPE = "none";

    /**
     * Whether a reader of {@code fleet.resources.v1} wants each object's manifest ({@link ObservedResource#object()}),
     * most of a record's bytes. A reader that never uses it skips it: its JSON is then only scanned, not built into
     * maps, and {@code object} is {@code null}. Such a reader also takes a record whose {@code object} is no JSON
     * object, which a reader of manifests refuses as unreadable (and dead-letters): it reads nothing of it.
     */
    public enum Manifests {
        READ,
        SKIPPED
    }

    @JsonIgnoreProperties({"object"})
    private interface WithoutManifest {}

    private static final ObjectMapper WITHOUT_MANIFEST =
            EventJson.mapper().addMixIn(ObservedResource.class, WithoutManifest.class);

    private FleetStreams() {}

    /** A record of {@code fleet.clusters.v1}, decoded by the rule above. */
    public static ClusterEvent clusterEvent(ConsumerRecord<String, byte[]> record) {
        return clusterEvent(record.key(), record.headers(), record.value());
    }

    /**
     * A record of {@code fleet.clusters.v1}, given as its key, headers and value, decoded by the rule above.
     *
     * @throws UnreadableEventException with the reason the dead letter carries
     */
    public static ClusterEvent clusterEvent(String key, Headers headers, byte[] value) {
        requireKey(key);
        Objects.requireNonNull(headers, "headers");
        if (value == null) {
            requireNotMisrouted(CloudEventHeaders.text(headers, CloudEventHeaders.TYPE), Topic.CLUSTERS);
            return new ClusterEvent.Deregistered(key);
        }
        CloudEvent event = CloudEventHeaders.read(headers, value);
        Optional<EventType> known = EventType.of(event.type());
        if (known.isEmpty()) {
            return new ClusterEvent.Skipped(event.type(), unknownType(event.type(), Topic.CLUSTERS));
        }
        EventType type = requireOn(known.get(), Topic.CLUSTERS);
        ClusterSnapshot snapshot = EventJson.read(value, ClusterSnapshot.class);
        return switch (type) {
            case CLUSTER_REGISTERED, CLUSTER_UPDATED, CLUSTER_STATUS_CHANGED ->
                new ClusterEvent.Snapshot(snapshot, type);
            // The key, like a tombstone's, names what compaction removes; the last snapshot is read only to be sure
            // the record is what it says.
            case CLUSTER_DEREGISTERED -> new ClusterEvent.Deregistered(key);
            default -> throw new IllegalStateException("no decoding for " + type + " on " + Topic.CLUSTERS.topicName());
        };
    }

    /** A record of {@code fleet.resources.v1}, decoded by the rule above. */
    public static ResourceEvent resourceEvent(ConsumerRecord<String, byte[]> record) {
        return resourceEvent(record, Manifests.READ);
    }

    /** A record of {@code fleet.resources.v1}, decoded by the rule above, its manifest read or skipped. */
    public static ResourceEvent resourceEvent(ConsumerRecord<String, byte[]> record, Manifests manifests) {
        return resourceEvent(record.key(), record.headers(), record.value(), manifests);
    }

    /**
     * A record of {@code fleet.resources.v1}, given as its key, headers and value, decoded by the rule above.
     *
     * @throws UnreadableEventException with the reason the dead letter carries
     */
    public static ResourceEvent resourceEvent(String key, Headers headers, byte[] value) {
        return resourceEvent(key, headers, value, Manifests.READ);
    }

    /**
     * A record of {@code fleet.resources.v1}, given as its key, headers and value, decoded by the rule above, its
     * manifest read or skipped.
     *
     * @throws UnreadableEventException with the reason the dead letter carries
     */
    public static ResourceEvent resourceEvent(String key, Headers headers, byte[] value, Manifests manifests) {
        requireKey(key);
        Objects.requireNonNull(headers, "headers");
        if (value == null) {
            String type = CloudEventHeaders.text(headers, CloudEventHeaders.TYPE);
            requireNotMisrouted(type, Topic.RESOURCES);
            return deletion(key, type == null || type.isBlank() ? NO_TYPE : type);
        }
        CloudEvent event = CloudEventHeaders.read(headers, value);
        Optional<EventType> known = EventType.of(event.type());
        if (known.isEmpty()) {
            return new ResourceEvent.Skipped(event.type(), unknownType(event.type(), Topic.RESOURCES));
        }
        EventType type = requireOn(known.get(), Topic.RESOURCES);
        return switch (type) {
            case RESOURCE_OBSERVED ->
                new ResourceEvent.Observed(
                        manifests == Manifests.SKIPPED
                                ? EventJson.read(WITHOUT_MANIFEST, value, ObservedResource.class)
                                : EventJson.read(value, ObservedResource.class));
            // The deletion type travels as a tombstone; a producer that sent the last known object along still
            // means the key is gone.
            case RESOURCE_DELETED -> deletion(key, type.type());
            case RESOURCE_RESYNC_STARTED -> new ResourceEvent.ResyncStarted(EventJson.read(value, ResyncMarker.class));
            case RESOURCE_RESYNC_COMPLETED ->
                new ResourceEvent.ResyncCompleted(EventJson.read(value, ResyncMarker.class));
            default ->
                throw new IllegalStateException("no decoding for " + type + " on " + Topic.RESOURCES.topicName());
        };
    }

    /** A record of {@code fleet.placement.v1}, decoded by the rule above. */
    public static PlacementEvent placementEvent(ConsumerRecord<String, byte[]> record) {
        return placementEvent(record.key(), record.headers(), record.value());
    }

    /**
     * A record of {@code fleet.placement.v1}, given as its key, headers and value, decoded by the rule above.
     *
     * @throws UnreadableEventException with the reason the dead letter carries
     */
    public static PlacementEvent placementEvent(String key, Headers headers, byte[] value) {
        requireKey(key);
        Objects.requireNonNull(headers, "headers");
        if (value == null) {
            String type = CloudEventHeaders.text(headers, CloudEventHeaders.TYPE);
            requireNotMisrouted(type, Topic.PLACEMENT);
            return PlacementKey.parse(key)
                    .<PlacementEvent>map(PlacementEvent.Removed::new)
                    .orElseGet(() -> new PlacementEvent.Skipped(
                            type == null || type.isBlank() ? NO_TYPE : type,
                            "key '" + key + "' is no key this version of the " + Topic.PLACEMENT.topicName()
                                    + " contract knows (a newer producer's?); its tombstone is skipped"));
        }
        CloudEvent event = CloudEventHeaders.read(headers, value);
        Optional<EventType> known = EventType.of(event.type());
        if (known.isEmpty()) {
            return new PlacementEvent.Skipped(event.type(), unknownType(event.type(), Topic.PLACEMENT));
        }
        EventType type = requireOn(known.get(), Topic.PLACEMENT);
        PlacementFact fact = (PlacementFact) EventJson.read(value, type.dataClass());
        String factKey;
        try {
            factKey = fact.key();
        } catch (IllegalArgumentException e) {
            throw new UnreadableEventException(
                    "data of " + type.type() + " names no valid workload: " + e.getMessage());
        }
        requireKeyOfData(key, factKey, type);
        return new PlacementEvent.Published(type, fact);
    }

    /** A record of {@code fleet.cost.v1}, decoded for a reader of cluster rates by the rule above. */
    public static RatesEvent ratesEvent(ConsumerRecord<String, byte[]> record) {
        return ratesEvent(record.key(), record.headers(), record.value());
    }

    /**
     * A record of {@code fleet.cost.v1}, given as its key, headers and value, decoded for a reader of cluster rates by
     * the rule above.
     *
     * @throws UnreadableEventException with the reason the dead letter carries
     */
    public static RatesEvent ratesEvent(String key, Headers headers, byte[] value) {
        requireKey(key);
        Objects.requireNonNull(headers, "headers");
        Optional<String> ratesOf = ClusterRatesPublished.clusterIdOf(key);
        if (value == null) {
            String type = CloudEventHeaders.text(headers, CloudEventHeaders.TYPE);
            requireNotMisrouted(type, Topic.COST);
            return ratesOf.<RatesEvent>map(RatesEvent.Withdrawn::new)
                    .orElseGet(() -> new RatesEvent.Unrelated(key, type == null || type.isBlank() ? NO_TYPE : type));
        }
        CloudEvent event = CloudEventHeaders.read(headers, value);
        Optional<EventType> known = EventType.of(event.type());
        if (known.isEmpty()) {
            return ratesOf.isPresent()
                    ? new RatesEvent.Skipped(event.type(), unknownType(event.type(), Topic.COST))
                    : new RatesEvent.Unrelated(key, event.type());
        }
        EventType type = requireOn(known.get(), Topic.COST);
        if (type != EventType.CLUSTER_RATES_PUBLISHED) {
            return new RatesEvent.Unrelated(key, type.type());
        }
        ClusterRatesPublished rates = EventJson.read(value, ClusterRatesPublished.class);
        requireKeyOfData(key, rates.key(), type);
        return new RatesEvent.Published(rates);
    }

    /** Whether a key of {@code fleet.resources.v1} is a cluster's resync marker, {@code clusterId/~resync}. */
    public static boolean isResyncMarkerKey(String key) {
        int slash = key.indexOf('/');
        return slash > 0
                && key.length() == slash + 1 + ResyncMarker.KEY_SUFFIX.length()
                && key.endsWith("/" + ResyncMarker.KEY_SUFFIX);
    }

    private static ResourceEvent deletion(String key, String type) {
        if (isResyncMarkerKey(key)) {
            return new ResourceEvent.Skipped(type, "deleting resync marker " + key + " deletes no object");
        }
        return new ResourceEvent.Deleted(key);
    }

    private static void requireKey(String key) {
        if (key == null) {
            throw new UnreadableEventException("record has no key; every Meridian topic is keyed");
        }
    }

    /** A tombstone typed for another topic was sent to the wrong place; an unknown or missing type is fine. */
    private static void requireNotMisrouted(String type, Topic topic) {
        EventType.of(type).ifPresent(known -> requireOn(known, topic));
    }

    /** On a keyed fact, the record's key must be its data's: compaction and readers go by the key. */
    private static void requireKeyOfData(String key, String keyOfData, EventType type) {
        if (!key.equals(keyOfData)) {
            throw new UnreadableEventException(
                    "record key '" + key + "' is not the key of its " + type.type() + " data, '" + keyOfData + "'");
        }
    }

    private static EventType requireOn(EventType type, Topic topic) {
        if (!type.travelsOn(topic)) {
            throw new UnreadableEventException("event type '" + type.type() + "' does not belong on "
                    + topic.topicName() + " but on "
                    + type.topics().stream().map(Topic::topicName).collect(Collectors.joining(", ")));
        }
        return type;
    }

    private static String unknownType(String type, Topic topic) {
        return "event type '" + type + "' is unknown to this version of the " + topic.topicName()
                + " contract (a newer producer's?); skipped";
    }
}
