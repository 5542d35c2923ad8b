package io.meridian.policy.domain.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cel.runtime.CelEvaluationException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What keeps one policy expression from stalling the audit: RE2 regular expressions, the per-evaluation cost
 * budget, and the refusal of expressions that could never finish within it.
 */
class CelBoundsTest {

    private static final CelEnvironment CEL = CelEnvironment.kubernetes();
    private static final Duration BOUND = Duration.ofSeconds(2);

    // --- regular expressions --------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            'abc'.matches('b')                                          | true
            'abc'.matches('^b')                                         | false
            matches('abc', 'c$')                                        | true
            'abc'.matches('^a.c$')                                      | true
            'x'.matches('^[[:alpha:]]$')                                | true
            'é'.matches('^\\\\pL$')                                     | true
            'k8s-node-12'.find('[0-9]+$') == '12'                       | true
            'a1b22c333'.findAll('[0-9]+') == ['1', '22', '333']         | true
            'a1b22c333'.findAll('[0-9]+', 2) == ['1', '22']             | true
            'a1b22c333'.findAll('[0-9]+', 0) == []                      | true
            'Ab'.matches('(?i)^ab$')                                    | true
            """)
    void regexFunctionsHaveRe2Semantics(String expression, boolean expected) throws Exception {
        assertThat(eval(expression, Map.of())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "object.name.matches('(a)\\\\1')",
                "object.name.find('a(?=b)') != ''",
                "object.name.findAll('(?<!a)b').size() > 0",
                "matches(object.name, 'a*+')",
                "object.name.matches('[a-z')"
            })
    void aConstantPatternRe2RefusesFailsCompilationNamingIt(String expression) {
        CelEnvironment.Compiled compiled = CEL.compile(expression, CelEnvironment.Expect.BOOL);
        assertThat(compiled).isInstanceOf(CelEnvironment.Failed.class);
        CelEnvironment.Problem problem =
                ((CelEnvironment.Failed) compiled).problems().getFirst();
        assertThat(problem.message()).contains("invalid regular expression").contains("RE2");
        assertThat(problem.column())
                .as("points at the pattern")
                .isEqualTo(expression.indexOf('\'', expression.indexOf("(")));
    }

    @Test
    void aComputedPatternRe2RefusesFailsTheEvaluation() {
        CelEnvironment.Program program = program("object.name.matches(object.pattern)");
        assertThatThrownBy(() -> program.evaluate(Map.of("object", Map.of("name", "aa", "pattern", "(a)\\1"))))
                .isInstanceOf(CelEvaluationException.class)
                .hasMessageContaining("invalid regular expression");
    }

    @Test
    void catastrophicPatternsOnALongStringAnswerWithinTheBound() {
        // Each of these backtracks exponentially in java.util.regex on a string like this one.
        String text = "a".repeat(30_000) + "!";
        Map<String, Object> activation = Map.of("object", Map.of("text", text));
        assertTimeoutPreemptively(BOUND, () -> {
            assertThat(program("object.text.find('(a+)+$')").evaluate(activation))
                    .isEqualTo("");
            assertThat(program("object.text.matches('^(a|aa)+$')").evaluate(activation))
                    .isEqualTo(false);
            assertThat(program("object.text.findAll('(a|a)*b')").evaluate(activation))
                    .isEqualTo(List.of());
        });
    }

    // --- the cost budget --------------------------------------------------------------------------------------

    @Test
    void anEvaluationThatSpendsItsBudgetStopsWithAClearError() throws Exception {
        // Accepted at compile time (lists of the object are assumed small), too expensive on this object.
        CelEnvironment.Program pairs = program("object.items.all(x, object.items.all(y, x + y >= 0))");
        Map<String, Object> big = Map.of("object", Map.of("items", range(5_000)));
        assertTimeoutPreemptively(
                BOUND,
                () -> assertThatThrownBy(() -> pairs.evaluate(big))
                        .isInstanceOf(CelEvaluationException.class)
                        .hasMessageContaining("actual cost limit exceeded"));
        assertThat(pairs.evaluate(Map.of("object", Map.of("items", range(50))))).isEqualTo(true);
    }

    @Test
    void anErrorCelWouldAbsorbDoesNotLetTheWorkRunOn() {
        CelEnvironment.Program absorbing = program("object.items.exists(x, object.items.exists(y, x + y < 0)) || true");
        Map<String, Object> big = Map.of("object", Map.of("items", range(5_000)));
        assertTimeoutPreemptively(
                BOUND,
                () -> assertThatThrownBy(() -> absorbing.evaluate(big))
                        .hasMessageContaining("actual cost limit exceeded"));
    }

    @Test
    void regularExpressionsAreChargedBySubjectAndPatternSize() {
        CelEnvironment.Program scan = program("object.items.all(i, !object.text.matches('b+c'))");
        Map<String, Object> activation = Map.of("object", Map.of("items", range(1_000), "text", "a".repeat(100_000)));
        assertTimeoutPreemptively(
                BOUND,
                () -> assertThatThrownBy(() -> scan.evaluate(activation))
                        .hasMessageContaining("actual cost limit exceeded"));
        assertThat(CelRegex.cost(100_000, 3)).isEqualTo(10_001);
    }

    @Test
    void everyEvaluationHasItsOwnBudget() throws Exception {
        CelEnvironment.Program sum = program("object.items.all(x, x >= 0)");
        Map<String, Object> activation = Map.of("object", Map.of("items", range(10_000)));
        for (int i = 0; i < 50; i++) {
            assertThat(sum.evaluate(activation)).isEqualTo(true);
        }
        assertThatThrownBy(() -> sum.evaluate(activation, 1_000)).hasMessageContaining("cost limit exceeded");
    }

    // --- the static estimate ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "object.spec.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged)"
                        + " || !c.securityContext.privileged)",
                "object.spec.containers.all(c, c.env.all(e, e.name.matches('^[A-Z_][A-Z0-9_]*$')))",
                "object.spec.containers.all(c, object.spec.volumes.exists(v, v.name == c.name))",
                "variables.containers.all(c, variables.allowed.exists(r, c.image.startsWith(r)))",
                "lists.range(size(object.spec.containers)).all(i, object.spec.containers[i].name != '')",
                "object.metadata.name.split('-').map(p, p.upperAscii()).join('_') != ''",
                "lists.range(1000).all(i, i >= 0)"
            })
    void everydayPoliciesAreWithinTheEstimate(String expression) {
        assertThat(CEL.compile(expression, CelEnvironment.Expect.BOOL))
                .as(expression)
                .isInstanceOf(CelEnvironment.Program.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "object.a.all(w, object.b.all(x, object.c.all(y, object.d.all(z, w + x + y + z >= 0))))",
                "object.spec.containers.all(c, c.ports.all(p, object.spec.containers.all(d, d.ports.all(q,"
                        + " p.containerPort != q.containerPort || c.name == d.name))))",
                "lists.range(object.spec.replicas).all(i, i >= 0)",
                "lists.range(100000).all(i, lists.range(100000).all(j, i != j))"
            })
    void anExpressionThatCouldNeverFinishIsRefusedNamingWhere(String expression) {
        CelEnvironment.Compiled compiled = CEL.compile(expression, CelEnvironment.Expect.BOOL);
        assertThat(compiled).as(expression).isInstanceOf(CelEnvironment.Failed.class);
        CelEnvironment.Problem problem =
                ((CelEnvironment.Failed) compiled).problems().getFirst();
        assertThat(problem.message()).contains("estimated evaluation cost");
        assertThat(problem.line()).isEqualTo(1);
    }

    @Test
    void theEstimateMultipliesThroughNestedComprehensions() throws Exception {
        long one = estimate("object.a.all(x, x > 0)");
        long two = estimate("object.a.all(x, object.b.all(y, x > y))");
        long three = estimate("object.a.all(x, object.b.all(y, object.c.all(z, x != z)))");
        assertThat(two).isGreaterThan(one * CelCostEstimator.ASSUMED_ENTRIES / 2);
        assertThat(two).isLessThan(CelCostEstimator.LIMIT);
        assertThat(three).isGreaterThan(CelCostEstimator.LIMIT);
        // The way out: the innermost list as a variable, tested with 'in'.
        assertThat(estimate("object.a.all(x, object.b.all(y, y in variables.c))"))
                .isLessThan(CelCostEstimator.LIMIT);
        assertThat(estimate("lists.range(object.n).size() > 0")).isGreaterThan(CelCostEstimator.LIMIT);
    }

    private static long estimate(String expression) throws Exception {
        var ast = dev.cel.bundle.CelFactory.standardCelBuilder()
                .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
                .addVar("object", dev.cel.common.types.SimpleType.DYN)
                .addVar("variables", dev.cel.common.types.SimpleType.DYN)
                .addCompilerLibraries(dev.cel.extensions.CelExtensions.lists())
                .build()
                .compile(expression)
                .getAst();
        return CelCostEstimator.estimate(ast).cost();
    }

    private static CelEnvironment.Program program(String expression) {
        CelEnvironment.Compiled compiled = CEL.compile(expression, CelEnvironment.Expect.ANY);
        assertThat(compiled).as(expression).isInstanceOf(CelEnvironment.Program.class);
        return (CelEnvironment.Program) compiled;
    }

    private static Object eval(String expression, Map<String, Object> activation) throws CelEvaluationException {
        return program(expression).evaluate(activation);
    }

    private static List<Long> range(int n) {
        return Collections.unmodifiableList(LongStream.range(0, n).boxed().toList());
    }
}
