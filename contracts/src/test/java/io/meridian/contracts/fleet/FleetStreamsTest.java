package io.meridian.contracts.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.ContractFiles;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.cost.ClusterRatesPublished;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.contracts.placement.FailoverMove;
import io.meridian.contracts.placement.PlacementFact;
import io.meridian.contracts.placement.PlacementKey;
import io.meridian.contracts.placement.RolloutHalted;
import io.meridian.contracts.placement.WorkloadPlacement;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FleetStreamsTest {

    private static final URI SOURCE = URI.create("/meridian/inventory");
    private static final OffsetDateTime TIME = OffsetDateTime.of(2026, 11, 24, 10, 15, 30, 0, ZoneOffset.UTC);
    /** A type a newer inventory might publish; this version does not know it. */
    private static final String NEWER_TYPE = "io.meridian.inventory.cluster.renamed.v9";

    private static final String REGISTERED = "io.meridian.inventory.cluster.registered.v1/staging-gcp-1.json";
    private static final String DEREGISTERED = "io.meridian.inventory.cluster.deregistered.v1/dev-azure-2.json";
    private static final String POD = "io.meridian.inventory.resource.observed.v1/pod.json";
    private static final String POD_WITH_MANIFEST = "io.meridian.inventory.resource.observed.v1/pod-with-manifest.json";
    private static final String RESYNC_STARTED = "io.meridian.inventory.resource.resync-started.v1/prod-aws-1.json";
    private static final String RESYNC_COMPLETED = "io.meridian.inventory.resource.resync-completed.v1/prod-aws-1.json";
    private static final String POD_KEY = "prod-aws-1//Pod/payments/checkout-7d9f8b6c5d-x2k4p";
    private static final String DECISION = "io.meridian.placement.decision.made.v1/checkout-two-clouds.json";
    private static final String HALTED = "io.meridian.placement.rollout.halted.v1/checkout-7-progress-deadline.json";
    private static final String FAILOVER = "io.meridian.placement.failover.started.v1/checkout-aws-down.json";
    private static final String RATES = "io.meridian.cost.rates.published.v1/prod-aws-1.json";
    private static final String SUMMARY = "io.meridian.cost.summary.computed.v1/cluster-prod-aws-1-hour.json";

    // ------------------------------------------------------------------ fleet.clusters.v1

    @ParameterizedTest
    @EnumSource(
            value = EventType.class,
            names = {"CLUSTER_REGISTERED", "CLUSTER_UPDATED", "CLUSTER_STATUS_CHANGED"})
    void aSnapshotCarriesTheClusterAndTheChangeThatPublishedIt(EventType type) {
        byte[] data = sample(REGISTERED);

        ClusterEvent event = FleetStreams.clusterEvent(record(Topic.CLUSTERS, "staging-gcp-1", type.type(), data));

        ClusterSnapshot expected = EventJson.read(data, ClusterSnapshot.class);
        assertThat(event).isEqualTo(new ClusterEvent.Snapshot(expected, type));
        assertThat(expected.clusterId()).isEqualTo("staging-gcp-1");
    }

    @Test
    void aDeregistrationWithItsLastSnapshotIsDeregisteredByKey() {
        byte[] data = sample(DEREGISTERED);
        assertThat(EventJson.read(data, ClusterSnapshot.class).phase()).isEqualTo(ClusterPhase.Deregistered);

        ClusterEvent event = FleetStreams.clusterEvent(
                record(Topic.CLUSTERS, "dev-azure-2", EventType.CLUSTER_DEREGISTERED.type(), data));

        assertThat(event).isEqualTo(new ClusterEvent.Deregistered("dev-azure-2"));
    }

    @Test
    void theDeregistrationTombstoneIsDeregistered() {
        ClusterEvent event = FleetStreams.clusterEvent(
                record(Topic.CLUSTERS, "dev-azure-2", EventType.CLUSTER_DEREGISTERED.type(), null));

        assertThat(event).isEqualTo(new ClusterEvent.Deregistered("dev-azure-2"));
    }

    @Test
    void aBareTombstoneFromCompactionIsDeregistered() {
        ClusterEvent event = FleetStreams.clusterEvent(bare(Topic.CLUSTERS, "dev-azure-2"));

        assertThat(event).isEqualTo(new ClusterEvent.Deregistered("dev-azure-2"));
    }

    @Test
    void anUnknownTypeIsSkippedWithItsTypeForTheCountOnClusters() {
        ClusterEvent event =
                FleetStreams.clusterEvent(record(Topic.CLUSTERS, "staging-gcp-1", NEWER_TYPE, sample(REGISTERED)));

        assertThat(event).isInstanceOfSatisfying(ClusterEvent.Skipped.class, skipped -> {
            assertThat(skipped.type()).isEqualTo(NEWER_TYPE);
            assertThat(skipped.reason()).contains(NEWER_TYPE).contains("unknown");
        });
    }

    @Test
    void anUnknownTypeIsSkippedEvenWhenItsDataIsNoSnapshot() {
        // A newer type may carry a record of its own: not this version's business to judge it.
        byte[] data = "{\"from\":\"a\",\"to\":\"b\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(FleetStreams.clusterEvent(record(Topic.CLUSTERS, "a", NEWER_TYPE, data)))
                .isInstanceOf(ClusterEvent.Skipped.class);
    }

    @Test
    void aTombstoneOfAnUnknownTypeStillRemovesTheCluster() {
        ClusterEvent event = FleetStreams.clusterEvent(record(Topic.CLUSTERS, "dev-azure-2", NEWER_TYPE, null));

        assertThat(event).isEqualTo(new ClusterEvent.Deregistered("dev-azure-2"));
    }

    @Test
    void aKnownTypeOfAnotherTopicIsUnreadableOnClusters() {
        assertThatThrownBy(() -> FleetStreams.clusterEvent(
                        record(Topic.CLUSTERS, "c1", EventType.RESOURCE_OBSERVED.type(), sample(POD))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("does not belong on fleet.clusters.v1");
    }

    @Test
    void aTombstoneTypedForAnotherTopicIsUnreadable() {
        assertThatThrownBy(() -> FleetStreams.clusterEvent(
                        record(Topic.CLUSTERS, "c1//Pod/ns/x", EventType.RESOURCE_DELETED.type(), null)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("does not belong on fleet.clusters.v1");
    }

    @Test
    void aRecordWithoutKeyIsUnreadableOnClusters() {
        assertThatThrownBy(() -> FleetStreams.clusterEvent(
                        record(Topic.CLUSTERS, null, EventType.CLUSTER_UPDATED.type(), sample(REGISTERED))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("no key");
        assertThatThrownBy(() -> FleetStreams.clusterEvent(bare(Topic.CLUSTERS, null)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("no key");
    }

    @Test
    void dataThatIsNoSnapshotIsUnreadable() {
        byte[] broken = "{not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> FleetStreams.clusterEvent(
                        record(Topic.CLUSTERS, "c1", EventType.CLUSTER_UPDATED.type(), broken)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ClusterSnapshot");
        // A deregistration's snapshot is read too: a broken one is not taken for a removal.
        assertThatThrownBy(() -> FleetStreams.clusterEvent(
                        record(Topic.CLUSTERS, "c1", EventType.CLUSTER_DEREGISTERED.type(), broken)))
                .isInstanceOf(UnreadableEventException.class);
    }

    @Test
    void aValueWithoutCloudEventHeadersIsUnreadableOnClusters() {
        ConsumerRecord<String, byte[]> raw =
                new ConsumerRecord<>(Topic.CLUSTERS.topicName(), 0, 0L, "c1", sample(REGISTERED));

        assertThatThrownBy(() -> FleetStreams.clusterEvent(raw))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("header ce_specversion is missing");
    }

    @Test
    void aMissingRequiredHeaderIsNamed() {
        Headers headers = headers(EventType.CLUSTER_UPDATED.type());
        headers.remove(CloudEventHeaders.ID);

        assertThatThrownBy(() -> FleetStreams.clusterEvent("c1", headers, sample(REGISTERED)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("header ce_id is missing");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeOfTheTopicIsDecodedAndEveryOtherIsUnreadableOnClusters(EventType type) {
        ConsumerRecord<String, byte[]> record =
                record(Topic.CLUSTERS, "staging-gcp-1", type.type(), sample(REGISTERED));

        if (type.travelsOn(Topic.CLUSTERS)) {
            assertThat(FleetStreams.clusterEvent(record)).isNotInstanceOf(ClusterEvent.Skipped.class);
        } else {
            assertThatThrownBy(() -> FleetStreams.clusterEvent(record)).isInstanceOf(UnreadableEventException.class);
        }
    }

    @Test
    void theRecordAndItsPartsDecodeAlike() {
        ConsumerRecord<String, byte[]> record =
                record(Topic.CLUSTERS, "staging-gcp-1", EventType.CLUSTER_UPDATED.type(), sample(REGISTERED));

        assertThat(FleetStreams.clusterEvent(record.key(), record.headers(), record.value()))
                .isEqualTo(FleetStreams.clusterEvent(record));
    }

    // ------------------------------------------------------------------ fleet.resources.v1

    @Test
    void anObservedObjectIsObserved() {
        byte[] data = sample(POD);

        ResourceEvent event =
                FleetStreams.resourceEvent(record(Topic.RESOURCES, POD_KEY, EventType.RESOURCE_OBSERVED.type(), data));

        assertThat(event).isEqualTo(new ResourceEvent.Observed(EventJson.read(data, ObservedResource.class)));
    }

    @Test
    void aReaderThatSkipsManifestsGetsEverythingButTheManifest() {
        byte[] data = sample(POD_WITH_MANIFEST);
        var record = record(Topic.RESOURCES, POD_KEY, EventType.RESOURCE_OBSERVED.type(), data);

        ObservedResource read =
                ((ResourceEvent.Observed) FleetStreams.resourceEvent(record, FleetStreams.Manifests.READ)).resource();
        ObservedResource skipped = ((ResourceEvent.Observed)
                        FleetStreams.resourceEvent(record, FleetStreams.Manifests.SKIPPED))
                .resource();

        assertThat(read.object()).containsKeys("spec", "metadata");
        assertThat(skipped.object()).isNull();
        assertThat(skipped).isEqualTo(read.withoutObject());
    }

    @Test
    void aReaderThatSkipsManifestsNeverBindsOneSoAManifestThatIsNoObjectHarmsOnlyReadersOfManifests() {
        String pod = new String(sample(POD), StandardCharsets.UTF_8);
        byte[] data = (pod.substring(0, pod.lastIndexOf('}')) + ",\"object\":\"not a manifest\"}")
                .getBytes(StandardCharsets.UTF_8);
        var record = record(Topic.RESOURCES, POD_KEY, EventType.RESOURCE_OBSERVED.type(), data);

        assertThatThrownBy(() -> FleetStreams.resourceEvent(record, FleetStreams.Manifests.READ))
                .isInstanceOf(UnreadableEventException.class);
        assertThat(((ResourceEvent.Observed) FleetStreams.resourceEvent(record, FleetStreams.Manifests.SKIPPED))
                        .resource()
                        .object())
                .isNull();
    }

    @Test
    void aReaderThatSkipsManifestsStillRefusesWhatIsNoObservedResource() {
        byte[] broken = "{\"clusterId\":\"c1\",\"object\":{\"spec\":".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> FleetStreams.resourceEvent(
                        record(Topic.RESOURCES, POD_KEY, EventType.RESOURCE_OBSERVED.type(), broken),
                        FleetStreams.Manifests.SKIPPED))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ObservedResource");
    }

    @Test
    void theDeletionTombstoneIsDeleted() {
        ResourceEvent event =
                FleetStreams.resourceEvent(record(Topic.RESOURCES, POD_KEY, EventType.RESOURCE_DELETED.type(), null));

        assertThat(event).isEqualTo(new ResourceEvent.Deleted(POD_KEY));
    }

    @Test
    void aBareTombstoneIsDeleted() {
        assertThat(FleetStreams.resourceEvent(bare(Topic.RESOURCES, POD_KEY)))
                .isEqualTo(new ResourceEvent.Deleted(POD_KEY));
    }

    @Test
    void aDeletionThatCarriesTheLastKnownObjectIsStillDeleted() {
        ResourceEvent event = FleetStreams.resourceEvent(
                record(Topic.RESOURCES, POD_KEY, EventType.RESOURCE_DELETED.type(), sample(POD)));

        assertThat(event).isEqualTo(new ResourceEvent.Deleted(POD_KEY));
    }

    @Test
    void aTombstoneOfAnUnknownTypeStillDeletesTheObject() {
        ResourceEvent event = FleetStreams.resourceEvent(record(Topic.RESOURCES, POD_KEY, NEWER_TYPE, null));

        assertThat(event).isEqualTo(new ResourceEvent.Deleted(POD_KEY));
    }

    @Test
    void resyncMarkersAreStartedAndCompleted() {
        byte[] started = sample(RESYNC_STARTED);
        byte[] completed = sample(RESYNC_COMPLETED);
        String key = ResyncMarker.key("prod-aws-1");

        assertThat(FleetStreams.resourceEvent(
                        record(Topic.RESOURCES, key, EventType.RESOURCE_RESYNC_STARTED.type(), started)))
                .isEqualTo(new ResourceEvent.ResyncStarted(EventJson.read(started, ResyncMarker.class)));
        ResourceEvent event = FleetStreams.resourceEvent(
                record(Topic.RESOURCES, key, EventType.RESOURCE_RESYNC_COMPLETED.type(), completed));
        assertThat(event).isInstanceOfSatisfying(ResourceEvent.ResyncCompleted.class, c -> {
            assertThat(c.marker().clusterId()).isEqualTo("prod-aws-1");
            assertThat(c.marker().epoch()).isEqualTo(8);
            assertThat(c.marker().phase()).isEqualTo(ResyncMarker.Phase.Completed);
        });
    }

    @Test
    void aBareTombstoneOfAResyncMarkerDeletesNoObjectAndIsSkipped() {
        String key = ResyncMarker.key("prod-aws-1");

        assertThat(FleetStreams.resourceEvent(bare(Topic.RESOURCES, key)))
                .isInstanceOfSatisfying(ResourceEvent.Skipped.class, skipped -> {
                    assertThat(skipped.type()).isEqualTo(FleetStreams.NO_TYPE);
                    assertThat(skipped.reason()).contains(key);
                });
        assertThat(FleetStreams.resourceEvent(record(Topic.RESOURCES, key, EventType.RESOURCE_DELETED.type(), null)))
                .isEqualTo(new ResourceEvent.Skipped(
                        EventType.RESOURCE_DELETED.type(), "deleting resync marker " + key + " deletes no object"));
    }

    @Test
    void anUnknownTypeIsSkippedWithItsTypeForTheCountOnResources() {
        String newer = "io.meridian.inventory.resource.patched.v2";

        ResourceEvent event = FleetStreams.resourceEvent(record(Topic.RESOURCES, POD_KEY, newer, sample(POD)));

        assertThat(event).isInstanceOfSatisfying(ResourceEvent.Skipped.class, skipped -> {
            assertThat(skipped.type()).isEqualTo(newer);
            assertThat(skipped.reason()).contains(newer).contains("fleet.resources.v1");
        });
    }

    @Test
    void aKnownTypeOfAnotherTopicIsUnreadableOnResources() {
        assertThatThrownBy(() -> FleetStreams.resourceEvent(
                        record(Topic.RESOURCES, POD_KEY, EventType.CLUSTER_UPDATED.type(), sample(REGISTERED))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("does not belong on fleet.resources.v1");
        assertThatThrownBy(() -> FleetStreams.resourceEvent(
                        record(Topic.RESOURCES, "c1", EventType.CLUSTER_DEREGISTERED.type(), null)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("does not belong on fleet.resources.v1");
    }

    @Test
    void aRecordWithoutKeyIsUnreadableOnResources() {
        assertThatThrownBy(() -> FleetStreams.resourceEvent(
                        record(Topic.RESOURCES, null, EventType.RESOURCE_OBSERVED.type(), sample(POD))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("no key");
        assertThatThrownBy(() -> FleetStreams.resourceEvent(bare(Topic.RESOURCES, null)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("no key");
    }

    @Test
    void dataThatIsNotTheTypesRecordIsUnreadable() {
        byte[] broken = "{not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> FleetStreams.resourceEvent(
                        record(Topic.RESOURCES, POD_KEY, EventType.RESOURCE_OBSERVED.type(), broken)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ObservedResource");
        assertThatThrownBy(() -> FleetStreams.resourceEvent(record(
                        Topic.RESOURCES,
                        ResyncMarker.key("c1"),
                        EventType.RESOURCE_RESYNC_COMPLETED.type(),
                        "{\"clusterId\":\"c1\",\"epoch\":\"eight\"}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ResyncMarker");
    }

    @Test
    void aValueWithoutCloudEventHeadersIsUnreadableOnResources() {
        ConsumerRecord<String, byte[]> raw = new ConsumerRecord<>(
                Topic.RESOURCES.topicName(), 0, 0L, POD_KEY, "{not json".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> FleetStreams.resourceEvent(raw))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("header ce_specversion is missing");
    }

    @Test
    void aMalformedRequiredHeaderIsNamed() {
        Headers headers = headers(EventType.RESOURCE_OBSERVED.type());
        headers.remove(CloudEventHeaders.TIME);
        headers.add(CloudEventHeaders.TIME, "yesterday".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> FleetStreams.resourceEvent(POD_KEY, headers, sample(POD)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ce_time");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeOfTheTopicIsDecodedAndEveryOtherIsUnreadableOnResources(EventType type) {
        String key = type.dataClass() == ResyncMarker.class ? ResyncMarker.key("prod-aws-1") : POD_KEY;
        byte[] data = type.dataClass() == ResyncMarker.class ? sample(RESYNC_COMPLETED) : sample(POD);
        ConsumerRecord<String, byte[]> record = record(Topic.RESOURCES, key, type.type(), data);

        if (type.travelsOn(Topic.RESOURCES)) {
            assertThat(FleetStreams.resourceEvent(record)).isNotInstanceOf(ResourceEvent.Skipped.class);
        } else {
            assertThatThrownBy(() -> FleetStreams.resourceEvent(record)).isInstanceOf(UnreadableEventException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c1/~resync", "prod-aws-1/~resync"})
    void resyncMarkerKeysAreRecognised(String key) {
        assertThat(FleetStreams.isResyncMarkerKey(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"~resync", "/~resync", "c1/~resync/x", "c1/x/~resync", "c1//Pod/ns/~resync", "c1/resync"})
    void otherKeysAreNoResyncMarkers(String key) {
        assertThat(FleetStreams.isResyncMarkerKey(key)).isFalse();
    }

    // ------------------------------------------------------------------ fleet.placement.v1

    @Test
    void aDecisionIsPublishedUnderTheWorkloadsName() {
        byte[] data = sample(DECISION);

        PlacementEvent event = FleetStreams.placementEvent(
                record(Topic.PLACEMENT, "checkout", EventType.PLACEMENT_DECISION_MADE.type(), data));

        assertThat(event)
                .isEqualTo(new PlacementEvent.Published(
                        EventType.PLACEMENT_DECISION_MADE, EventJson.read(data, WorkloadPlacement.class)));
    }

    @Test
    void aRolloutFactIsPublishedUnderTheRolloutKey() {
        PlacementEvent event = FleetStreams.placementEvent(
                record(Topic.PLACEMENT, "checkout/rollout", EventType.ROLLOUT_HALTED.type(), sample(HALTED)));

        assertThat(event).isInstanceOfSatisfying(PlacementEvent.Published.class, published -> {
            assertThat(published.type()).isEqualTo(EventType.ROLLOUT_HALTED);
            assertThat(published.fact()).isInstanceOfSatisfying(RolloutHalted.class, halted -> {
                assertThat(halted.cluster()).isEqualTo("prod-aws-1");
                assertThat(halted.condition()).isEqualTo("ProgressDeadlineExceeded");
            });
        });
    }

    @ParameterizedTest
    @EnumSource(
            value = EventType.class,
            names = {"FAILOVER_STARTED", "FAILOVER_COMPLETED", "FAILBACK_COMPLETED"})
    void movesShareOneRecordAndAreToldApartByTheirType(EventType type) {
        PlacementEvent event = FleetStreams.placementEvent(
                record(Topic.PLACEMENT, "checkout/failover", type.type(), sample(FAILOVER)));

        assertThat(event)
                .isEqualTo(new PlacementEvent.Published(type, EventJson.read(sample(FAILOVER), FailoverMove.class)));
    }

    @Test
    void aFactUnderAnotherKeyThanItsDataIsUnreadable() {
        // Under the bare name a halt would let compaction drop the decision.
        assertThatThrownBy(() -> FleetStreams.placementEvent(
                        record(Topic.PLACEMENT, "checkout", EventType.ROLLOUT_HALTED.type(), sample(HALTED))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("record key 'checkout' is not the key of its")
                .hasMessageContaining("'checkout/rollout'");
        assertThatThrownBy(() -> FleetStreams.placementEvent(record(
                        Topic.PLACEMENT, "payments", EventType.PLACEMENT_DECISION_MADE.type(), sample(DECISION))))
                .isInstanceOf(UnreadableEventException.class);
    }

    @Test
    void dataThatNamesNoWorkloadOrIsNoFactIsUnreadable() {
        byte[] noWorkload = "{\"generation\":7,\"at\":\"2026-11-24T11:03:12Z\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> FleetStreams.placementEvent(
                        record(Topic.PLACEMENT, "checkout/rollout", EventType.ROLLOUT_COMPLETED.type(), noWorkload)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("names no valid workload");
        assertThatThrownBy(() -> FleetStreams.placementEvent(record(
                        Topic.PLACEMENT,
                        "checkout",
                        EventType.PLACEMENT_DECISION_MADE.type(),
                        "{not json".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("WorkloadPlacement");
    }

    @Test
    void aTombstoneRemovesTheFactOfItsKeyWhateverItsType() {
        assertThat(FleetStreams.placementEvent(bare(Topic.PLACEMENT, "checkout")))
                .isEqualTo(new PlacementEvent.Removed(PlacementKey.decision("checkout")));
        assertThat(FleetStreams.placementEvent(
                        record(Topic.PLACEMENT, "checkout/rollout", EventType.ROLLOUT_COMPLETED.type(), null)))
                .isEqualTo(new PlacementEvent.Removed(PlacementKey.rollout("checkout")));
        assertThat(FleetStreams.placementEvent(record(Topic.PLACEMENT, "checkout/failover", NEWER_TYPE, null)))
                .isEqualTo(new PlacementEvent.Removed(PlacementKey.failover("checkout")));
    }

    @Test
    void aTombstoneOfANewerKeyShapeIsSkippedAndOneTypedForAnotherTopicIsUnreadable() {
        assertThat(FleetStreams.placementEvent(bare(Topic.PLACEMENT, "checkout/canary")))
                .isInstanceOfSatisfying(PlacementEvent.Skipped.class, skipped -> {
                    assertThat(skipped.type()).isEqualTo(FleetStreams.NO_TYPE);
                    assertThat(skipped.reason()).contains("checkout/canary");
                });
        assertThatThrownBy(() -> FleetStreams.placementEvent(
                        record(Topic.PLACEMENT, "checkout", EventType.CLUSTER_DEREGISTERED.type(), null)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("does not belong on fleet.placement.v1");
    }

    @Test
    void anUnknownTypeIsSkippedOnPlacement() {
        String newer = "io.meridian.placement.workload.paused.v1";

        assertThat(FleetStreams.placementEvent(record(Topic.PLACEMENT, "checkout/pause", newer, sample(HALTED))))
                .isInstanceOfSatisfying(PlacementEvent.Skipped.class, skipped -> {
                    assertThat(skipped.type()).isEqualTo(newer);
                    assertThat(skipped.reason()).contains(newer).contains("fleet.placement.v1");
                });
    }

    @Test
    void aRecordWithoutKeyIsUnreadableOnPlacement() {
        assertThatThrownBy(() -> FleetStreams.placementEvent(bare(Topic.PLACEMENT, null)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("no key");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeOfTheTopicIsDecodedAndEveryOtherIsUnreadableOnPlacement(EventType type) throws IOException {
        Path folder = ContractFiles.sampleFolder(type);
        byte[] data = Files.readAllBytes(ContractFiles.files(folder, ".json").getFirst());
        String key = type.travelsOn(Topic.PLACEMENT)
                ? ((PlacementFact) EventJson.read(data, type.dataClass())).key()
                : "checkout";
        ConsumerRecord<String, byte[]> record = record(Topic.PLACEMENT, key, type.type(), data);

        if (type.travelsOn(Topic.PLACEMENT)) {
            assertThat(FleetStreams.placementEvent(record)).isInstanceOf(PlacementEvent.Published.class);
        } else {
            assertThatThrownBy(() -> FleetStreams.placementEvent(record)).isInstanceOf(UnreadableEventException.class);
        }
    }

    // ------------------------------------------------------------------ rates on fleet.cost.v1

    @Test
    void ratesArePublishedUnderTheirClustersRatesKey() {
        byte[] data = sample(RATES);

        RatesEvent event = FleetStreams.ratesEvent(
                record(Topic.COST, "rates/prod-aws-1", EventType.CLUSTER_RATES_PUBLISHED.type(), data));

        assertThat(event).isEqualTo(new RatesEvent.Published(EventJson.read(data, ClusterRatesPublished.class)));
    }

    @Test
    void ratesUnderAnotherKeyThanTheirClustersAreUnreadable() {
        assertThatThrownBy(() -> FleetStreams.ratesEvent(record(
                        Topic.COST, "cluster:prod-aws-1", EventType.CLUSTER_RATES_PUBLISHED.type(), sample(RATES))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("'rates/prod-aws-1'");
        assertThatThrownBy(() -> FleetStreams.ratesEvent(record(
                        Topic.COST, "rates/prod-gcp-2", EventType.CLUSTER_RATES_PUBLISHED.type(), sample(RATES))))
                .isInstanceOf(UnreadableEventException.class);
    }

    @Test
    void aTombstoneOfARatesKeyWithdrawsTheClustersRates() {
        assertThat(FleetStreams.ratesEvent(bare(Topic.COST, "rates/prod-aws-1")))
                .isEqualTo(new RatesEvent.Withdrawn("prod-aws-1"));
        assertThat(FleetStreams.ratesEvent(
                        record(Topic.COST, "rates/prod-aws-1", EventType.CLUSTER_RATES_PUBLISHED.type(), null)))
                .isEqualTo(new RatesEvent.Withdrawn("prod-aws-1"));
    }

    @Test
    void summariesBudgetsAndTheirTombstonesAreUnrelatedToRatesAndNotSkipped() {
        assertThat(FleetStreams.ratesEvent(record(
                        Topic.COST, "cluster:prod-aws-1", EventType.COST_SUMMARY_COMPUTED.type(), sample(SUMMARY))))
                .isEqualTo(new RatesEvent.Unrelated("cluster:prod-aws-1", EventType.COST_SUMMARY_COMPUTED.type()));
        assertThat(FleetStreams.ratesEvent(record(
                        Topic.COST, "label:team=payments", EventType.BUDGET_THRESHOLD_CROSSED.type(), sample(SUMMARY))))
                .isInstanceOf(RatesEvent.Unrelated.class);
        assertThat(FleetStreams.ratesEvent(bare(Topic.COST, "cluster:prod-aws-1")))
                .isEqualTo(new RatesEvent.Unrelated("cluster:prod-aws-1", FleetStreams.NO_TYPE));
    }

    @Test
    void aNewerTypeIsSkippedUnderARatesKeyAndUnrelatedUnderAScope() {
        String newer = "io.meridian.cost.rates.published.v2";

        assertThat(FleetStreams.ratesEvent(record(Topic.COST, "rates/prod-aws-1", newer, sample(RATES))))
                .isInstanceOfSatisfying(RatesEvent.Skipped.class, skipped -> {
                    assertThat(skipped.type()).isEqualTo(newer);
                    assertThat(skipped.reason()).contains(newer).contains("fleet.cost.v1");
                });
        assertThat(FleetStreams.ratesEvent(record(Topic.COST, "cluster:prod-aws-1", newer, sample(SUMMARY))))
                .isEqualTo(new RatesEvent.Unrelated("cluster:prod-aws-1", newer));
    }

    @Test
    void aKnownTypeOfAnotherTopicIsUnreadableOnCost() {
        assertThatThrownBy(() -> FleetStreams.ratesEvent(
                        record(Topic.COST, "rates/prod-aws-1", EventType.CLUSTER_UPDATED.type(), sample(REGISTERED))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("does not belong on fleet.cost.v1");
        assertThatThrownBy(() -> FleetStreams.ratesEvent(
                        record(Topic.COST, "rates/prod-aws-1", EventType.RESOURCE_DELETED.type(), null)))
                .isInstanceOf(UnreadableEventException.class);
    }

    @Test
    void brokenRatesAreUnreadable() {
        assertThatThrownBy(() -> FleetStreams.ratesEvent(record(
                        Topic.COST,
                        "rates/prod-aws-1",
                        EventType.CLUSTER_RATES_PUBLISHED.type(),
                        "{\"clusterId\":\"prod-aws-1\",\"cpuCoreHour\":\"cheap\"}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ClusterRatesPublished");
    }

    // ------------------------------------------------------------------ helpers

    /** A record as inventory publishes it: binary-mode CloudEvent headers, the data as value (null: a tombstone). */
    private static ConsumerRecord<String, byte[]> record(Topic topic, String key, String type, byte[] data) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic.topicName(), 0, 0L, key, data);
        for (var header : headers(type)) {
            record.headers().add(header);
        }
        return record;
    }

    /** A tombstone without headers, as compaction tooling writes it. */
    private static ConsumerRecord<String, byte[]> bare(Topic topic, String key) {
        return new ConsumerRecord<>(topic.topicName(), 0, 0L, key, null);
    }

    private static Headers headers(String type) {
        CloudEvent event = new CloudEvent("e-1", type, SOURCE, "subject", TIME, null, CloudEvent.JSON, null);
        Headers headers = new RecordHeaders();
        CloudEventHeaders.write(event, headers);
        return headers;
    }

    private static byte[] sample(String path) {
        try (InputStream in = FleetStreamsTest.class.getClassLoader().getResourceAsStream("samples/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no sample " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
