package io.meridian.policy.domain.cel;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.checker.CelStandardDeclarations;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelStandardFunctions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CEL environment of a ValidatingAdmissionPolicy: the variables {@code object}, {@code oldObject},
 * {@code params}, {@code request}, {@code namespaceObject}, {@code variables}, dev.cel's strings, lists, sets,
 * optional and math extensions, and the Kubernetes libraries of {@link KubernetesCelLibrary}. Immutable and
 * thread-safe: compile once per policy version, evaluate from any thread.
 *
 * <p>Bounded as Kubernetes bounds admission policies: regular expressions are RE2 ({@link CelRegex}), and a
 * constant one RE2 refuses fails compilation; an expression whose estimated cost is too high
 * ({@link CelCostEstimator}) fails compilation; each evaluation stops with an error once it spends its
 * {@link CelCostBudget}.
 */
public final class CelEnvironment {

    /** The variables every policy expression may use. */
    public static final Set<String> VARIABLES = Set.of(
            "object",
            "oldObject",
            "params",
            "request",
            "namespaceObject",
            "variables",
            KubernetesAuthorizer.VARIABLE,
            KubernetesAuthorizer.REQUEST_RESOURCE);

    private static final CelEnvironment KUBERNETES = new CelEnvironment();

    private final Cel cel;

    private CelEnvironment() {
        CelOptions options = CelOptions.current()
                .enableOptionalSyntax(true)
                .enableHeterogeneousNumericComparisons(true)
                // A backstop behind the cost budget (every iteration costs at least 2): never reached through it
                .comprehensionMaxIterations((int) CelCostBudget.PER_EVALUATION)
                .build();
        this.cel = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                // The standard library, but with CelRegex's matches: RE2 compiled once, charged to the budget
                .setStandardEnvironmentEnabled(false)
                .setStandardDeclarations(CelStandardDeclarations.newBuilder().build())
                .setStandardFunctions(CelStandardFunctions.newBuilder()
                        .excludeFunctions(CelStandardFunctions.StandardFunction.MATCHES)
                        .build())
                .addFunctionBindings(CelRegex.matchesBindings())
                .addCompilerLibraries(
                        CelExtensions.strings(),
                        CelExtensions.optional(),
                        CelExtensions.lists(),
                        CelExtensions.sets(options),
                        CelExtensions.math(options))
                .addRuntimeLibraries(
                        CelExtensions.strings(),
                        CelExtensions.optional(),
                        CelExtensions.lists(),
                        CelExtensions.sets(options),
                        CelExtensions.math(options))
                .addVar("object", SimpleType.DYN)
                .addVar("oldObject", SimpleType.DYN)
                .addVar("params", SimpleType.DYN)
                .addVar("request", SimpleType.DYN)
                .addVar("namespaceObject", SimpleType.DYN)
                .addVar("variables", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addVar(KubernetesAuthorizer.VARIABLE, KubernetesAuthorizer.AUTHORIZER)
                .addVar(KubernetesAuthorizer.REQUEST_RESOURCE, KubernetesAuthorizer.RESOURCE_CHECK)
                .addFunctionDeclarations(KubernetesCelLibrary.declarations())
                .addFunctionDeclarations(KubernetesAuthorizer.declarations())
                .addFunctionBindings(KubernetesCelLibrary.bindings())
                .addFunctionBindings(KubernetesAuthorizer.bindings())
                .build();
    }

    public static CelEnvironment kubernetes() {
        return KUBERNETES;
    }

    /** What an expression must evaluate to. */
    public enum Expect {
        BOOL(SimpleType.BOOL),
        STRING(SimpleType.STRING),
        ANY(SimpleType.DYN);

        private final CelType type;

        Expect(CelType type) {
            this.type = type;
        }
    }

    /** One compile or type error, at a 1-based line and 0-based column as cel-go reports them. */
    public record Problem(int line, int column, String message) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column + ": " + message;
        }
    }

    /** The outcome of compiling one expression. */
    public sealed interface Compiled {}

    /** A program, ready to evaluate any number of times. */
    public record Program(String expression, CelRuntime.Program program) implements Compiled {

        /**
         * Evaluates against CEL values (see {@link #toCel}); {@code activation} maps variable names to values.
         * Fails, and stops at once, when the evaluation spends more than {@link CelCostBudget#PER_EVALUATION}.
         */
        public Object evaluate(Map<String, ?> activation) throws CelEvaluationException {
            return evaluate(activation, CelCostBudget.PER_EVALUATION);
        }

        Object evaluate(Map<String, ?> activation, long budget) throws CelEvaluationException {
            CelCostBudget costs = new CelCostBudget(budget);
            return costs.run(() -> program.trace(activation, costs));
        }
    }

    /** Why an expression does not compile. */
    public record Failed(List<Problem> problems) implements Compiled {
        public Failed {
            problems = List.copyOf(problems);
        }
    }

    /** Parses, type-checks and plans one expression. */
    public Compiled compile(String expression, Expect expect) {
        if (expression == null || expression.isBlank()) {
            return new Failed(List.of(new Problem(1, 0, "expression is empty")));
        }
        CelValidationResult result = cel.compile(expression);
        if (result.hasError()) {
            return new Failed(
                    result.getErrors().stream().map(CelEnvironment::problem).toList());
        }
        try {
            CelAbstractSyntaxTree ast = KubernetesLists.dispatchDynamically(result.getAst());
            CelType type = ast.getResultType();
            if (expect != Expect.ANY && !type.equals(SimpleType.DYN) && !type.equals(expect.type)) {
                return new Failed(List.of(new Problem(
                        1, 0, "must evaluate to " + expect.type.name() + " but evaluates to " + type.name())));
            }
            List<Problem> regexes = constantRegexProblems(ast);
            if (!regexes.isEmpty()) {
                return new Failed(regexes);
            }
            CelCostEstimator.Estimate cost = CelCostEstimator.estimate(ast);
            if (!cost.withinLimit()) {
                return new Failed(List.of(new Problem(cost.line(), cost.column(), cost.problem())));
            }
            return new Program(expression, cel.createProgram(ast));
        } catch (CelValidationException e) {
            return new Failed(
                    e.getErrors().stream().map(CelEnvironment::problem).toList());
        } catch (dev.cel.common.CelException e) {
            return new Failed(List.of(new Problem(1, 0, e.getMessage())));
        }
    }

    // A constant pattern RE2 refuses is refused now, as Kubernetes does, not on every evaluation.
    private static List<Problem> constantRegexProblems(CelAbstractSyntaxTree ast) {
        List<Problem> problems = new ArrayList<>();
        CelNavigableAst.fromAst(ast)
                .getRoot()
                .allNodes()
                .map(CelNavigableExpr::expr)
                .filter(e -> e.getKind() == CelExpr.ExprKind.Kind.CALL
                        && CelRegex.FUNCTIONS.contains(e.call().function()))
                .forEach(e -> {
                    // the pattern follows the subject: s.matches(re), matches(s, re), s.findAll(re, n)
                    int at = e.call().target().isPresent() ? 0 : 1;
                    if (e.call().args().size() <= at) {
                        return;
                    }
                    CelExpr pattern = e.call().args().get(at);
                    if (pattern.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                            && pattern.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                        CelRegex.problem(pattern.constant().stringValue()).ifPresent(message -> {
                            CelSourceLocation where = location(ast, pattern);
                            problems.add(
                                    new Problem(Math.max(1, where.getLine()), Math.max(0, where.getColumn()), message));
                        });
                    }
                });
        return problems;
    }

    /** Where an expression node is in the source, or {@link CelSourceLocation#NONE}. */
    static CelSourceLocation location(CelAbstractSyntaxTree ast, CelExpr expr) {
        return Optional.ofNullable(ast.getSource().getPositionsMap().get(expr.id()))
                .flatMap(offset -> ast.getSource().getOffsetLocation(offset))
                .orElse(CelSourceLocation.NONE);
    }

    private static Problem problem(CelIssue issue) {
        int line = Math.max(1, issue.getSourceLocation().getLine());
        int column = Math.max(0, issue.getSourceLocation().getColumn());
        return new Problem(line, column, issue.getMessage());
    }

    /**
     * Turns a JSON tree as Jackson reads it (Integer, BigDecimal, ...) into CEL values: int64, double, string,
     * bool, null, list and map. Done once per object, not per evaluation.
     */
    public static Object toCel(Object json) {
        return switch (json) {
            case null -> dev.cel.common.values.NullValue.NULL_VALUE;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> f.doubleValue();
            case BigInteger big -> big.bitLength() < 64 ? big.longValue() : big.doubleValue();
            case BigDecimal dec -> dec.doubleValue();
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
                map.forEach((k, v) -> out.put(String.valueOf(k), toCel(v)));
                yield out;
            }
            case List<?> list -> {
                List<Object> out = new ArrayList<>(list.size());
                list.forEach(v -> out.add(toCel(v)));
                yield out;
            }
            default -> json;
        };
    }
}
