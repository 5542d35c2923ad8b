package io.meridian.inventory.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which registry changes need a fleet-admin: into or out of prod, and relabelling prod. */
class ProdGuardTest {

    private static final Map<String, String> TEAM = Map.of("team", "payments");

    @Test
    void prodIsTheEnvironmentOrALabelSelectorsReadAsIt() {
        assertThat(ProdGuard.isProd("prod", Map.of())).isTrue();
        assertThat(ProdGuard.isProd("staging", Map.of("environment", "prod"))).isTrue();
        assertThat(ProdGuard.isProd(null, Map.of("meridian.io/environment", "prod")))
                .isTrue();
        assertThat(ProdGuard.isProd("staging", TEAM)).isFalse();
        assertThat(ProdGuard.isProd(null, null)).isFalse();
    }

    @Test
    void movingIntoOrOutOfProdNeedsAFleetAdmin() {
        assertThat(ProdGuard.adminOnly("prod", TEAM, "staging", null))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.field()).isEqualTo("environment");
                    assertThat(p.message()).contains("out of prod").contains("fleet-admin");
                });
        assertThat(ProdGuard.adminOnly("staging", TEAM, "prod", null))
                .extracting(FieldProblem::field)
                .containsExactly("environment");
        assertThat(ProdGuard.adminOnly("staging", TEAM, null, Map.of("environment", "prod")))
                .extracting(FieldProblem::field)
                .containsExactly("labels");
        assertThat(ProdGuard.adminOnly("staging", Map.of("environment", "prod"), "dev", Map.of()))
                .extracting(FieldProblem::field)
                .containsExactly("environment", "labels");
    }

    @Test
    void anyRelabellingOfAProdClusterNeedsAFleetAdmin() {
        assertThat(ProdGuard.adminOnly("prod", TEAM, null, Map.of("team", "checkout")))
                .extracting(FieldProblem::field)
                .containsExactly("labels");
        assertThat(ProdGuard.adminOnly("prod", TEAM, null, Map.of())).hasSize(1);
    }

    @Test
    void everythingElseStaysAnOperators() {
        assertThat(ProdGuard.adminOnly("prod", TEAM, "prod", TEAM)).isEmpty();
        assertThat(ProdGuard.adminOnly("prod", TEAM, null, null)).isEmpty();
        assertThat(ProdGuard.adminOnly("staging", TEAM, "dev", Map.of("team", "checkout")))
                .isEmpty();
        assertThat(ProdGuard.adminOnly(null, null, "staging", TEAM)).isEmpty();
    }
}
