package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.ObjectOutcome.Outcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.placement.domain.WorkloadSync.ApplyFailure;
import io.meridian.placement.domain.WorkloadSync.Carried;
import io.meridian.placement.domain.WorkloadSync.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One cluster's bundle carries two workloads; inventory's report is read for each on its own. */
class WorkloadSyncTest {

    private static final Instant AT = Instant.parse("2026-12-06T03:00:00Z");

    /** Generation 2 of cart and generation 5 of shop, both first carried by bundle 7; generation 1 and 4 applied. */
    private static final List<Carried> CARRIED = List.of(
            new Carried("cart", 2, 7, 1, Set.of("Deployment/shop/cart", "Service/shop/cart"), null),
            new Carried("shop", 5, 7, 4, Set.of("Deployment/shop/shop", "ConfigMap/shop/shop-config"), null));

    @Test
    void oneWorkloadsConflictHoldsBackOnlyThatWorkload() {
        SyncReport report = report(
                7,
                6,
                ok("Deployment", "cart"),
                outcome("Service", "cart", Outcome.Conflict, "conflict with \"kubectl\": .spec.ports"),
                ok("Deployment", "shop"),
                new ObjectOutcome("v1", "ConfigMap", "shop", "shop-config", Outcome.Unchanged, null));

        Map<String, State> states = WorkloadSync.read(report, CARRIED);

        assertThat(states.get("shop")).isEqualTo(new State(5, null));
        assertThat(states.get("cart"))
                .isEqualTo(new State(
                        1,
                        new ApplyFailure(
                                2, "Service/cart in shop", "Conflict", "conflict with \"kubectl\": .spec.ports")));
    }

    @Test
    void theWholeBundleAppliedAppliesEveryWorkloadItCarriedAndClearsAFailure() {
        List<Carried> failed = List.of(new Carried(
                "cart",
                2,
                7,
                1,
                Set.of("Deployment/shop/cart"),
                new ApplyFailure(2, "Deployment/cart", "Failed", "x")));

        assertThat(WorkloadSync.read(report(8, 8), failed)).containsEntry("cart", new State(2, null));
    }

    @Test
    void aReportOfAnOlderBundleOrOneThatDoesNotNameEveryObjectChangesNothing() {
        Carried cart = CARRIED.getFirst();

        assertThat(WorkloadSync.read(report(6, 6, ok("Deployment", "cart"), ok("Service", "cart")), List.of(cart)))
                .as("bundle 6 is older than the bundle that carried generation 2")
                .containsEntry("cart", new State(1, null));
        assertThat(WorkloadSync.read(report(7, 6, ok("Deployment", "cart")), List.of(cart)))
                .as("the Service is not in the report: it cannot vouch for it")
                .containsEntry("cart", new State(1, null));
    }

    @Test
    void aFailureOfAnOlderGenerationIsNotTheCurrentOne() {
        Carried cart = new Carried(
                "cart", 3, 9, 2, Set.of("Deployment/shop/cart"), new ApplyFailure(2, "Deployment/cart", "Failed", "x"));

        assertThat(cart.currentFailure()).isNull();
        assertThat(WorkloadSync.read(report(8, 8), List.of(cart))).containsEntry("cart", new State(2, null));
    }

    @Test
    void aRenderedObjectAndAReportedOneHaveTheSameReference() {
        Map<String, Object> rendered = Map.of(
                "apiVersion", "apps/v1", "kind", "Deployment", "metadata", Map.of("name", "cart", "namespace", "shop"));

        assertThat(WorkloadSync.reference(rendered)).isEqualTo(WorkloadSync.reference("Deployment", "shop", "cart"));
    }

    private static SyncReport report(long wanted, long applied, ObjectOutcome... outcomes) {
        return new SyncReport("placement", "c-1", wanted, applied, List.of(outcomes), 12, AT);
    }

    private static ObjectOutcome ok(String kind, String name) {
        return outcome(kind, name, Outcome.Patched, null);
    }

    private static ObjectOutcome outcome(String kind, String name, Outcome outcome, String reason) {
        return new ObjectOutcome("v1", kind, "shop", name, outcome, reason);
    }
}
