package io.meridian.policy.domain.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A static upper bound of what one evaluation of a checked expression costs, in {@link CelCostBudget}'s units,
 * so that a policy that could never finish within its budget is refused when it is created. dev.cel 0.14 has no
 * cost estimator (cel-go's {@code checker.Cost}), and a policy's variables are untyped, so this one is
 * deliberately simple and conservative: a list or map read from an object is assumed to hold
 * {@value #ASSUMED_ENTRIES} entries and a string {@value #ASSUMED_CHARS} characters; a comprehension costs its
 * range's size times its body, so nested comprehensions multiply; {@code lists.range} needs a constant or a
 * {@code size()} bound. An estimate above {@value #LIMIT} (Kubernetes' {@code StaticEstimatedCostLimit}) is
 * refused: in practice comprehensions nested three deep over lists of the object (two are fine, and a variable
 * holding the innermost list, tested with {@code in}, is one level less), or an unbounded range.
 */
public final class CelCostEstimator {

    /** Kubernetes' StaticEstimatedCostLimit: the largest estimated cost of one expression. */
    public static final long LIMIT = 10_000_000;

    /** Entries assumed in a list or map read from an object. */
    public static final long ASSUMED_ENTRIES = 128;

    /** Characters assumed in a string read from an object. */
    public static final long ASSUMED_CHARS = 256;

    private static final long UNBOUNDED = Long.MAX_VALUE / 4;
    private static final long FROM_DATA = -1;

    /** The estimated cost and, when it passes the limit, where: the innermost expression that alone passes it. */
    public record Estimate(long cost, int line, int column) {

        public boolean withinLimit() {
            return cost <= LIMIT;
        }

        public boolean unbounded() {
            return cost >= UNBOUNDED;
        }

        /** Why the expression is refused. */
        public String problem() {
            String what = unbounded()
                    ? "estimated evaluation cost is unbounded"
                    : "estimated evaluation cost " + cost + " exceeds the limit of " + LIMIT;
            return what + " (assuming lists and maps of " + ASSUMED_ENTRIES + " entries and strings of "
                    + ASSUMED_CHARS + " characters in the object; nested comprehensions multiply, and lists.range"
                    + " needs a constant or size() bound): simplify the expression, e.g. flatten a nested"
                    + " comprehension with a variable";
        }
    }

    // A value's cost to compute and its size: string length or entry count; FROM_DATA when read from the object.
    private record Value(long cost, long size, long elementSize) {}

    private final Deque<Map<String, Value>> scopes = new ArrayDeque<>();
    private CelExpr culprit;

    private CelCostEstimator() {}

    /** Estimates a checked (or parsed) expression. */
    public static Estimate estimate(CelAbstractSyntaxTree ast) {
        CelCostEstimator estimator = new CelCostEstimator();
        long cost = estimator.visit(ast.getExpr()).cost;
        CelExpr at = estimator.culprit == null ? ast.getExpr() : estimator.culprit;
        CelSourceLocation location = CelEnvironment.location(ast, at);
        return new Estimate(cost, Math.max(1, location.getLine()), Math.max(0, location.getColumn()));
    }

    private Value visit(CelExpr e) {
        Value v = switch (e.getKind()) {
            case CONSTANT -> constant(e.constant());
            case IDENT -> ident(e.ident().name());
            case SELECT -> {
                Value operand = visit(e.select().operand());
                yield new Value(add(1, operand.cost), e.select().testOnly() ? 1 : FROM_DATA, FROM_DATA);
            }
            case LIST -> {
                long cost = 1;
                long element = 0;
                for (CelExpr item : e.list().elements()) {
                    Value iv = visit(item);
                    cost = add(cost, iv.cost);
                    element = larger(element, iv.size);
                }
                yield new Value(cost, e.list().elements().size(), element);
            }
            case MAP -> {
                long cost = 1;
                long key = 0;
                for (CelExpr.CelMap.Entry entry : e.map().entries()) {
                    Value k = visit(entry.key());
                    cost = add(cost, add(k.cost, visit(entry.value()).cost));
                    key = larger(key, k.size);
                }
                yield new Value(cost, e.map().entries().size(), key);
            }
            case STRUCT -> {
                long cost = 1;
                for (CelExpr.CelStruct.Entry entry : e.struct().entries()) {
                    cost = add(cost, visit(entry.value()).cost);
                }
                yield new Value(cost, 1, 1);
            }
            case CALL -> call(e.call());
            case COMPREHENSION -> comprehension(e.comprehension());
            default -> new Value(1, FROM_DATA, FROM_DATA);
        };
        if (culprit == null && v.cost > LIMIT) {
            culprit = e; // visited children first: the innermost expression over the limit
        }
        return v;
    }

    private static Value constant(CelConstant c) {
        long size = switch (c.getKind()) {
            case STRING_VALUE -> c.stringValue().length();
            case BYTES_VALUE -> c.bytesValue().size();
            default -> 1;
        };
        return new Value(0, size, 1);
    }

    private Value ident(String name) {
        for (Map<String, Value> scope : scopes) {
            Value bound = scope.get(name);
            if (bound != null) {
                return new Value(1, bound.size, bound.elementSize);
            }
        }
        return new Value(1, FROM_DATA, FROM_DATA); // object, variables, params, ...
    }

    private Value comprehension(CelExpr.CelComprehension c) {
        Value range = visit(c.iterRange());
        long n = entries(range.size);
        Value init = visit(c.accuInit());
        Map<String, Value> loop = new HashMap<>();
        loop.put(c.iterVar(), new Value(0, range.elementSize, FROM_DATA));
        if (!c.iterVar2().isEmpty()) {
            loop.put(c.iterVar2(), new Value(0, FROM_DATA, FROM_DATA));
        }
        loop.put(c.accuVar(), new Value(0, n, FROM_DATA));
        scopes.push(loop);
        long perIteration;
        try {
            perIteration = add(visit(c.loopCondition()).cost, visit(c.loopStep()).cost);
        } finally {
            scopes.pop();
        }
        scopes.push(Map.of(c.accuVar(), new Value(0, n, FROM_DATA)));
        long result;
        try {
            result = visit(c.result()).cost;
        } finally {
            scopes.pop();
        }
        long cost = add(add(1, range.cost), add(init.cost, add(mul(n, perIteration), result)));
        return new Value(cost, n, FROM_DATA);
    }

    private Value call(CelExpr.CelCall call) {
        List<CelExpr> operandExprs = new ArrayList<>();
        call.target().ifPresent(operandExprs::add);
        operandExprs.addAll(call.args());
        List<Value> operands = new ArrayList<>(operandExprs.size());
        long cost = 1;
        for (CelExpr operand : operandExprs) {
            Value v = visit(operand);
            operands.add(v);
            cost = add(cost, v.cost);
        }
        Value first = operands.isEmpty() ? new Value(0, 1, 1) : operands.getFirst();
        String function = call.function();
        switch (function) {
            case "_?_:_" -> {
                Value a = operands.get(1);
                Value b = operands.get(2);
                return new Value(cost, larger(a.size, b.size), larger(a.elementSize, b.elementSize));
            }
            case "_+_" -> {
                Value a = operands.get(0);
                Value b = operands.get(1);
                long size = a.size == FROM_DATA || b.size == FROM_DATA ? FROM_DATA : add(a.size, b.size);
                return new Value(
                        add(cost, add(anySize(a.size), anySize(b.size)) / 10),
                        size,
                        larger(a.elementSize, b.elementSize));
            }
            case "_[_]" -> {
                return new Value(cost, first.elementSize, FROM_DATA);
            }
            case "@in" -> {
                return new Value(add(cost, entries(operands.get(1).size)), 1, 1);
            }
            case "size" -> {
                return new Value(cost, 1, 1);
            }
            case "matches", "find", "findAll" -> {
                Value regex = operands.get(1);
                long subject = chars(first.size);
                long charged = add(cost, CelRegex.cost(subject, chars(regex.size)));
                return switch (function) {
                    case "find" -> new Value(charged, subject, 1);
                    case "findAll" -> new Value(charged, add(subject, 1), subject);
                    default -> new Value(charged, 1, 1);
                };
            }
            case "replace" -> {
                // worst case: an empty pattern puts the replacement between every two characters
                long replacement = operands.size() > 2 ? chars(operands.get(2).size) : 0;
                long size = mul(add(chars(first.size), 1), add(replacement, 1));
                return new Value(add(cost, size / 10), size, 1);
            }
            case "join" -> {
                long size = mul(entries(first.size), add(chars(first.elementSize), 2));
                return new Value(add(cost, size / 10), size, 1);
            }
            case "split" -> {
                long size = chars(first.size);
                return new Value(add(cost, size / 10), add(size, 1), size);
            }
            case "lists.range" -> {
                long size = bound(operandExprs.getFirst());
                return new Value(add(cost, size / 10), size, 1);
            }
            case "flatten" -> {
                long size = mul(entries(first.size), entries(first.elementSize));
                return new Value(add(cost, size / 10), size, FROM_DATA);
            }
            case "sets.contains", "sets.equivalent", "sets.intersects" -> {
                return new Value(add(cost, mul(entries(first.size), entries(operands.get(1).size))), 1, 1);
            }
            case "validate" -> {
                // a named format's RE2 matches over the text (the longest format pattern is about 60 characters)
                long subject = chars(operands.getLast().size);
                return new Value(add(cost, CelRegex.cost(subject, 60)), 1, subject);
            }
            case "semver",
                    "isSemver",
                    "ip",
                    "isIP",
                    "ip.isCanonical",
                    "cidr",
                    "isCIDR",
                    "containsIP",
                    "containsCIDR" -> {
                // one linear parse of the text (an IP or CIDR argument is already parsed)
                long text = 0;
                for (Value v : operands) {
                    text = add(text, chars(v.size) / 10);
                }
                return new Value(add(cost, text), 1, 1);
            }
            case "jsonpatch.escapeKey" -> {
                long size = mul(chars(first.size), 2); // every character may become two
                return new Value(add(cost, size / 10), size, 1);
            }
            case "sort", "distinct", "reverse", "slice", "dyn", "optional.of", "orValue", "value" -> {
                return new Value(add(cost, anySize(first.size) / 10), first.size, first.elementSize);
            }
            default -> {
                if (isOperator(function)) {
                    return new Value(cost, 1, 1);
                }
                // Any other function's work is linear in its operands (string functions, quantity, url, ...).
                long work = 0;
                for (Value v : operands) {
                    work = add(work, anySize(v.size) / 10);
                }
                return new Value(add(cost, work), FROM_DATA, FROM_DATA);
            }
        }
    }

    // An upper bound of the int an expression evaluates to, for lists.range: a constant, or the size of something.
    private static long bound(CelExpr expr) {
        if (expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && expr.constant().getKind() == CelConstant.Kind.INT64_VALUE) {
            return Math.max(0, expr.constant().int64Value());
        }
        if (expr.getKind() == CelExpr.ExprKind.Kind.CALL
                && expr.call().function().equals("size")) {
            return Math.max(ASSUMED_ENTRIES, ASSUMED_CHARS);
        }
        return UNBOUNDED;
    }

    private static boolean isOperator(String function) {
        return function.startsWith("_")
                || function.startsWith("@")
                || function.startsWith("!")
                || function.startsWith("-");
    }

    private static long entries(long size) {
        return size == FROM_DATA ? ASSUMED_ENTRIES : size;
    }

    private static long chars(long size) {
        return size == FROM_DATA ? ASSUMED_CHARS : size;
    }

    private static long anySize(long size) {
        return size == FROM_DATA ? Math.max(ASSUMED_ENTRIES, ASSUMED_CHARS) : size;
    }

    private static long larger(long a, long b) {
        return a == FROM_DATA || b == FROM_DATA ? FROM_DATA : Math.max(a, b);
    }

    private static long add(long a, long b) {
        return Math.min(UNBOUNDED, a + b); // both at most UNBOUNDED: no overflow
    }

    private static long mul(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > UNBOUNDED / b ? UNBOUNDED : Math.min(UNBOUNDED, a * b);
    }
}
