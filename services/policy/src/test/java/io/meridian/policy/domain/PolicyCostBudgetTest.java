package io.meridian.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.policy.domain.cel.CelEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A policy too expensive for an object reports an error for that object, at once, and nothing else. */
class PolicyCostBudgetTest {

    private static final PolicyDefinition.FleetScope ALL = PolicyDefinition.FleetScope.EVERYWHERE;
    private static final String ALL_PAIRS =
            "object.spec.containers.all(a, object.spec.containers.all(b, a.name == b.name || a.image != b.image))";

    @Test
    void anObjectThatExhaustsTheBudgetIsAViolationNamingTheErrorAndTheNextObjectIsJudgedNormally() {
        CompiledPolicy policy = FleetComplianceTest.policy("all-pairs", 1, ALL, ALL_PAIRS);

        FleetObject huge = pod("huge", 3_000);
        Verdict verdict = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> policy.evaluate(huge, null));
        assertThat(verdict)
                .isInstanceOfSatisfying(
                        Verdict.Violation.class,
                        v -> assertThat(v.message()).contains(ALL_PAIRS).contains("actual cost limit exceeded"));

        assertThat(policy.evaluate(pod("small", 3), null)).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void aPolicyThatCouldNeverFinishIsRefusedNamingTheExpression() {
        String nested = "object.spec.containers.all(a, a.ports.all(p, object.spec.containers.all(b,"
                + " b.ports.all(q, a.name == b.name || p.containerPort != q.containerPort))))";
        PolicyDefinition base =
                FleetComplianceTest.policy("base", 1, ALL, "true").definition();
        var spec = new PolicyDefinition.Spec(
                base.spec().matchConstraints(),
                null,
                null,
                List.of(new PolicyDefinition.Validation(nested, "no clashes", null, null)),
                null);
        var def = new PolicyDefinition(
                "nested", null, ComplianceResult.Severity.HIGH, null, List.of("security"), ALL, spec, null);
        assertThat(CompiledPolicy.compile(def, 1))
                .isInstanceOfSatisfying(
                        CompiledPolicy.Invalid.class,
                        invalid -> assertThat(invalid.problems())
                                .singleElement()
                                .satisfies(p -> {
                                    assertThat(p.field()).isEqualTo("spec.validations[0].expression");
                                    assertThat(p.message()).contains("estimated evaluation cost");
                                }));
    }

    @SuppressWarnings("unchecked")
    private static FleetObject pod(String name, int containers) {
        List<Map<String, Object>> list = IntStream.range(0, containers)
                .mapToObj(i -> Map.<String, Object>of("name", "c" + i, "image", "img:" + i))
                .toList();
        Map<String, Object> manifest = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Pod",
                "metadata",
                Map.of("name", name, "namespace", "ns"),
                "spec",
                Map.of("containers", list));
        return new FleetObject(
                "c1", "", "v1", "Pod", "ns", name, Map.of(), (Map<String, Object>) CelEnvironment.toCel(manifest));
    }
}
