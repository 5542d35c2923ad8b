package io.meridian.policy.domain;

import static io.meridian.policy.domain.FleetComplianceTest.cluster;
import static io.meridian.policy.domain.FleetComplianceTest.pod;
import static io.meridian.policy.domain.FleetComplianceTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.policy.domain.cel.KubernetesAuthorizer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A policy using {@code authorizer} compiles and is enforced by Kubernetes; continuous audit, which has no request
 * and no requesting user, reports each object it cannot judge as not evaluable, never as a violation (ADR 0012).
 */
class AuthorizerInAuditTest {

    private static final Verdict NOT_EVALUABLE = new Verdict.NotEvaluable(KubernetesAuthorizer.NOT_EVALUABLE_REASON);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            authorizer.group('apps').resource('deployments').namespace(object.metadata.namespace).check('create').allowed()
            authorizer.requestResource.subresource('status').check('update').allowed()
            authorizer.serviceAccount('kube-system', 'deployer').group('').resource('pods').name('x').check('get').allowed()
            authorizer.path('/healthz').check('get').reason() == ''
            authorizer.group('').resource('pods').labelSelector('app=web').fieldSelector('spec.nodeName=n1').check('list').errored() == false
            !authorizer.requestResource.check('delete').allowed() || object.metadata.name == 'nobody'
            """)
    void aDecisionTheObjectsVerdictDependsOnIsNotEvaluableInAudit(String expression) {
        CompiledPolicy p = policy("authz", 1, FleetComplianceTest.FleetScopes.ALL, expression);
        assertThat(p.evaluate(pod("c1", "a", "web", true), null)).isEqualTo(NOT_EVALUABLE);
    }

    @Test
    void anExpressionWhoseOutcomeDoesNotDependOnTheDecisionIsJudged() {
        CompiledPolicy p = policy(
                "authz",
                1,
                FleetComplianceTest.FleetScopes.ALL,
                "object.metadata.name == 'web' || authorizer.requestResource.check('update').allowed()");
        assertThat(p.evaluate(pod("c1", "a", "web", true), null)).isEqualTo(Verdict.COMPLIANT);
        assertThat(p.evaluate(pod("c1", "a", "db", true), null)).isEqualTo(NOT_EVALUABLE);
    }

    @Test
    void auditNeverOpensAViolationAndCountsTheObjectAsSkipped() {
        FleetCompliance fleet =
                new FleetCompliance(new FleetComplianceTest.MutableClock(Instant.parse("2026-11-25T10:00:00Z")));
        fleet.cluster(cluster("c1", "prod", Map.of()));
        fleet.policy(policy(
                "authz",
                1,
                FleetComplianceTest.FleetScopes.ALL,
                "authorizer.requestResource.check('update').allowed()"));
        assertThat(fleet.observe(pod("c1", "a", "web", true), 1)).isEmpty();
        assertThat(fleet.openCount()).isZero();
        assertThat(fleet.tallies("c1").get("authz")).containsExactly(0, 0, 1);
    }
}
