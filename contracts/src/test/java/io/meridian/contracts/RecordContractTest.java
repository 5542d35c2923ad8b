package io.meridian.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys, never-null collections and wire names of the records, beyond what the golden samples show. */
class RecordContractTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30Z");

    @Test
    void resourceKeyHasEmptySegmentsForCoreGroupAndClusterScope() {
        assertThat(ObservedResource.key("c1", "", "Node", null, "node-a")).isEqualTo("c1//Node//node-a");
        assertThat(ObservedResource.key("c1", "apps", "Deployment", "payments", "checkout"))
                .isEqualTo("c1/apps/Deployment/payments/checkout");
        assertThat(ResyncMarker.key("c1")).isEqualTo("c1/~resync");
        assertThat(Topic.RESOURCES.clusterIdOf(ResyncMarker.key("c1"))).contains("c1");
    }

    @Test
    void observedResourceWithoutCollectionsReadsAsEmptyNotNull() {
        ObservedResource resource = EventJson.read("""
                {"clusterId":"c1","apiVersion":"v1","kind":"Namespace","name":"payments","uid":"u","resourceVersion":"1",
                 "observedAt":"2026-11-24T10:15:30Z","resyncEpoch":1}""".getBytes(StandardCharsets.UTF_8), ObservedResource.class);

        assertThat(resource.apiGroup()).isEmpty();
        assertThat(resource.labels()).isEmpty();
        assertThat(resource.annotations()).isEmpty();
        assertThat(resource.containers()).isEmpty();
        assertThat(resource.status().conditions()).isEmpty();
        assertThat(resource.key()).isEqualTo("c1//Namespace//payments");
    }

    @Test
    void recordsCopyTheirCollections() {
        Map<String, String> labels = new HashMap<>(Map.of("env", "prod"));
        List<String> warnings = new ArrayList<>();
        ClusterSnapshot snapshot = new ClusterSnapshot(
                "c1",
                "c1",
                null,
                Cloud.AWS,
                "eu-central-1",
                "prod",
                labels,
                "https://api",
                null,
                ClusterPhase.Ready,
                null,
                null,
                0,
                0,
                0,
                null,
                null,
                warnings,
                1,
                AT);

        labels.put("team", "x");
        warnings.add("late");

        assertThat(snapshot.labels()).containsOnlyKeys("env");
        assertThat(snapshot.warnings()).isEmpty();
        assertThat(snapshot.conditions()).isEmpty();
        assertThatThrownBy(() -> snapshot.labels().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void closedSetsUseTheirWireNames() {
        ClusterSnapshot snapshot = new ClusterSnapshot(
                "c1",
                "c1",
                null,
                Cloud.ONPREM,
                "dc",
                "dev",
                null,
                "https://api",
                null,
                ClusterPhase.Connecting,
                null,
                null,
                0,
                0,
                0,
                null,
                null,
                null,
                1,
                AT);
        DesiredBundle bundle = new DesiredBundle("identity", "c1", 3, DriftPolicy.REPAIR, false, null, AT);

        String snapshotJson = new String(EventJson.write(snapshot), StandardCharsets.UTF_8);
        String bundleJson = new String(EventJson.write(bundle), StandardCharsets.UTF_8);

        assertThat(snapshotJson).contains("\"cloud\":\"onprem\"").contains("\"phase\":\"Connecting\"");
        assertThat(snapshotJson).doesNotContain("key").doesNotContain("metricsUrl");
        assertThat(bundleJson).contains("\"driftPolicy\":\"repair\"").contains("\"objects\":[]");
        assertThat(bundle.key()).isEqualTo("identity/c1");
        assertThat(Topic.DESIRED_IDENTITY.clusterIdOf(bundle.key())).contains("c1");
    }

    @Test
    void unknownFieldsOfANewerProducerAreIgnored() {
        AuditRecord record = EventJson.read("""
                {"id":"1","actor":{"type":"service","name":"inventory","team":"platform"},"action":"cluster.apply",
                 "target":{"kind":"Cluster","name":"c1"},"outcome":"success","service":"inventory",
                 "at":"2026-11-24T10:15:30Z","details":{},"addedInV1_1":true}""".getBytes(StandardCharsets.UTF_8), AuditRecord.class);

        assertThat(record.actor()).isEqualTo(new AuditRecord.Actor(AuditRecord.ActorType.service, "inventory"));
        assertThat(record.key()).isEqualTo("Cluster/c1");
    }

    @Test
    void objectRefDerivesItsGroupFromTheApiVersion() {
        assertThat(new ObjectRef(null, "apps/v1", "Deployment", "ns", "x").key())
                .isEqualTo("apps/Deployment/ns/x");
        assertThat(new ObjectRef(null, "v1", "Namespace", null, "ns").key()).isEqualTo("/Namespace//ns");
    }
}
