package io.meridian.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.compliance.ComplianceResult;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A CEL type error or a constant pattern RE2 refuses is refused when the policy is written (a 400 naming the field
 * and position, in Kubernetes' words), not reported on every object afterwards.
 */
class PolicyCelCompileErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ['a', 'b'].sum() == 'c'               | line 1, column 14: found no matching overload for 'sum' applied to 'list(string).()'
            [[1], [2]].min() == [1]               | line 1, column 14: found no matching overload for 'min' applied to 'list(list(int)).()'
            object.metadata.name.find(')') == ''  | line 1, column 26: invalid regular expression (RE2 syntax): error parsing regexp: unexpected ): `)`
            object.metadata.name.matches(')')     | line 1, column 29: invalid regular expression (RE2 syntax): error parsing regexp: unexpected ): `)`
            """)
    void isRefusedNamingTheExpressionAndPosition(String expression, String problem) {
        var spec = new PolicyDefinition.Spec(
                FleetComplianceTest.policy("base", 1, PolicyDefinition.FleetScope.EVERYWHERE, "true")
                        .definition()
                        .spec()
                        .matchConstraints(),
                null,
                null,
                List.of(
                        new PolicyDefinition.Validation("true", "fine", null, null),
                        new PolicyDefinition.Validation(expression, "bad", null, null)),
                null);
        var def = new PolicyDefinition(
                "typed",
                null,
                ComplianceResult.Severity.HIGH,
                null,
                List.of("security"),
                PolicyDefinition.FleetScope.EVERYWHERE,
                spec,
                null);

        assertThat(CompiledPolicy.compile(def, 1))
                .isInstanceOfSatisfying(
                        CompiledPolicy.Invalid.class,
                        invalid -> assertThat(invalid.problems())
                                .singleElement()
                                .satisfies(p -> {
                                    assertThat(p.field()).isEqualTo("spec.validations[1].expression");
                                    assertThat(p.message()).startsWith(problem);
                                }));
    }
}
