package io.meridian.policy.domain.cel;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * The cost budget of one evaluation of one expression, as Kubernetes bounds a ValidatingAdmissionPolicy
 * expression ({@code PerCallLimit}). dev.cel 0.14 tracks no cost, so this listener does: every evaluated node
 * costs 1, a string, list or map a function builds a tenth of its size, and a regular expression its subject's
 * size times its own ({@link CelRegex#cost}). The evaluation that spends more stops at once with a
 * {@link CelEvaluationException} (the policy reports it for that object), as cel-go cancels it: the signal is an
 * {@link Error} inside the interpreter, so no {@code ||}, {@code exists} or other error-absorbing construct of CEL
 * can catch it and let the work run on.
 */
public final class CelCostBudget implements CelEvaluationListener {

    /** Per evaluation of one expression: Kubernetes' {@code PerCallLimit}, roughly 0.1 s of work. */
    public static final long PER_EVALUATION = 1_000_000;

    private static final ThreadLocal<CelCostBudget> CURRENT = new ThreadLocal<>();

    private final long limit;
    private long spent;

    CelCostBudget(long limit) {
        this.limit = limit;
    }

    /** One evaluation, run with this budget in force for the functions that charge it. */
    @FunctionalInterface
    interface Evaluation {
        Object run() throws CelEvaluationException;
    }

    Object run(Evaluation evaluation) throws CelEvaluationException {
        CelCostBudget outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return evaluation.run();
        } catch (Exceeded e) {
            throw new CelEvaluationException(message());
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    @Override
    public void callback(CelExpr expr, Object result) {
        long cost = 1;
        if (expr.getKind() == CelExpr.ExprKind.Kind.CALL) {
            cost += builtSize(expr.call().function(), result) / 10;
        }
        spent += cost;
        if (spent > limit) {
            throw new Exceeded();
        }
    }

    /** Charges the evaluation running on this thread, if any; functions call it before expensive work. */
    static void chargeCurrent(long cost) {
        CelCostBudget budget = CURRENT.get();
        if (budget != null) {
            budget.spent += cost;
            if (budget.spent > budget.limit) {
                throw new Exceeded();
            }
        }
    }

    private String message() {
        return "operation cancelled: actual cost limit exceeded (the budget is " + limit + " per evaluation)";
    }

    // The size of what a call built. An operator's list or map result is a view or an element (dev.cel
    // concatenates comprehension results without copying), so only strings count there.
    private static long builtSize(String function, Object result) {
        if (result instanceof String s) {
            return function.equals("_[_]") || function.equals("_?_:_") ? 0 : s.length();
        }
        if (isOperator(function)) {
            return 0;
        }
        if (result instanceof Collection<?> c) {
            return c.size();
        }
        if (result instanceof Map<?, ?> m) {
            return m.size();
        }
        return 0;
    }

    private static boolean isOperator(String function) {
        if (function.isEmpty()) {
            return false;
        }
        char first = function.charAt(0);
        return first == '_' || first == '@' || first == '!' || first == '-';
    }

    /** The budget ran out: unwinds the whole evaluation, up to {@link #run}. */
    private static final class Exceeded extends Error {
        Exceeded() {
            super("actual cost limit exceeded", null, false, false);
        }
    }
}
