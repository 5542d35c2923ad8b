package io.meridian.policy.domain.cel;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.common.values.CelByteString;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes list library ({@code sum}, {@code min}, {@code max}, {@code isSorted}, {@code indexOf},
 * {@code lastIndexOf}) as k8s.io/apiserver/pkg/cel/library/lists.go declares it: one overload per element type,
 * so that {@code ['a'].sum()} or {@code [[1]].min()} is a type error when the policy is compiled and a typed empty
 * list sums to its own zero ({@code duration('0')}, {@code 0.0}, {@code uint(0)}).
 *
 * <p>dev.cel's dispatcher refuses a call that more than one overload could take, which is every call on a
 * {@code dyn} list; {@link #dispatchDynamically} points those calls at one overload that decides by the values,
 * as cel-go's dynamic dispatch does.
 */
final class KubernetesLists {

    private static final CelType T = TypeParamType.create("T");
    private static final CelType LIST_T = ListType.create(T);

    // lists.go's summableTypes and comparableTypes
    private static final List<CelType> SUMMABLE =
            List.of(SimpleType.INT, SimpleType.UINT, SimpleType.DOUBLE, SimpleType.DURATION);
    private static final List<CelType> COMPARABLE = List.of(
            SimpleType.INT,
            SimpleType.UINT,
            SimpleType.DOUBLE,
            SimpleType.BOOL,
            SimpleType.DURATION,
            SimpleType.TIMESTAMP,
            SimpleType.STRING,
            SimpleType.BYTES);

    // function -> the overload-id suffix of its typed overloads, and the id of its dynamic one
    private static final Map<String, String> TYPED_SUFFIX =
            Map.of("sum", "_sum", "min", "_min", "max", "_max", "isSorted", "_is_sorted");

    private KubernetesLists() {}

    static List<CelFunctionDecl> declarations() {
        return List.of(
                typed("sum", SUMMABLE, t -> t),
                typed("min", COMPARABLE, t -> t),
                typed("max", COMPARABLE, t -> t),
                typed("isSorted", COMPARABLE, t -> SimpleType.BOOL),
                CelFunctionDecl.newFunctionDeclaration(
                        "indexOf", CelOverloadDecl.newMemberOverload("list_a_index_of", SimpleType.INT, LIST_T, T)),
                CelFunctionDecl.newFunctionDeclaration(
                        "lastIndexOf",
                        CelOverloadDecl.newMemberOverload("list_a_last_index_of", SimpleType.INT, LIST_T, T)));
    }

    static List<CelFunctionBinding> bindings() {
        List<CelFunctionBinding> bindings = new ArrayList<>();
        for (CelType t : SUMMABLE) {
            Object zero = zero(t);
            bindings.add(CelFunctionBinding.from(id("sum", t), List.class, l -> sum(l, zero)));
        }
        for (CelType t : COMPARABLE) {
            bindings.add(CelFunctionBinding.from(id("min", t), List.class, l -> extreme(l, -1, "min")));
            bindings.add(CelFunctionBinding.from(id("max", t), List.class, l -> extreme(l, 1, "max")));
            bindings.add(CelFunctionBinding.from(id("isSorted", t), List.class, KubernetesLists::isSorted));
        }
        bindings.add(CelFunctionBinding.from(dynamicId("sum"), List.class, l -> sum(l, null)));
        bindings.add(CelFunctionBinding.from(dynamicId("min"), List.class, l -> extreme(l, -1, "min")));
        bindings.add(CelFunctionBinding.from(dynamicId("max"), List.class, l -> extreme(l, 1, "max")));
        bindings.add(CelFunctionBinding.from(dynamicId("isSorted"), List.class, KubernetesLists::isSorted));
        bindings.add(CelFunctionBinding.from("list_a_index_of", List.class, Object.class, (l, v) -> indexOf(l, v)));
        bindings.add(
                CelFunctionBinding.from("list_a_last_index_of", List.class, Object.class, (l, v) -> lastIndexOf(l, v)));
        return bindings;
    }

    /**
     * The checked expression with every call that more than one typed overload could take (a {@code dyn} list)
     * bound to the dynamic overload instead, which decides by the values at evaluation.
     */
    static CelAbstractSyntaxTree dispatchDynamically(CelAbstractSyntaxTree ast) {
        Map<Long, CelReference> references = new HashMap<>(ast.getReferenceMap());
        boolean changed = false;
        for (CelExpr call : CelNavigableAst.fromAst(ast)
                .getRoot()
                .allNodes()
                .map(CelNavigableExpr::expr)
                .filter(e -> e.getKind() == CelExpr.ExprKind.Kind.CALL
                        && TYPED_SUFFIX.containsKey(e.call().function()))
                .toList()) {
            CelReference reference = references.get(call.id());
            if (reference != null && reference.overloadIds().size() > 1) {
                references.put(
                        call.id(),
                        CelReference.newBuilder()
                                .setName(reference.name())
                                .addOverloadIds(dynamicId(call.call().function()))
                                .build());
                changed = true;
            }
        }
        return changed
                ? CelAbstractSyntaxTree.newCheckedAst(ast.getExpr(), ast.getSource(), references, ast.getTypeMap())
                : ast;
    }

    private static CelFunctionDecl typed(
            String function, List<CelType> elementTypes, java.util.function.UnaryOperator<CelType> result) {
        List<CelOverloadDecl> overloads = new ArrayList<>();
        for (CelType t : elementTypes) {
            overloads.add(CelOverloadDecl.newMemberOverload(id(function, t), result.apply(t), ListType.create(t)));
        }
        return CelFunctionDecl.newFunctionDeclaration(function, overloads);
    }

    private static String id(String function, CelType elementType) {
        return "list_" + elementType.kind().name().toLowerCase(java.util.Locale.ROOT) + TYPED_SUFFIX.get(function);
    }

    private static String dynamicId(String function) {
        return "list_dyn" + TYPED_SUFFIX.get(function);
    }

    private static Object zero(CelType t) {
        return switch (t.kind()) {
            case UINT -> UnsignedLong.ZERO;
            case DOUBLE -> 0.0;
            case DURATION -> Duration.ZERO;
            default -> 0L;
        };
    }

    // A typed list sums to its type's zero when empty; a dyn one has no type left, and sums to 0 as upstream's does.
    private static Object sum(List<?> list, Object zero) throws CelEvaluationException {
        if (list.isEmpty()) {
            return zero == null ? 0L : zero;
        }
        Object total = list.getFirst();
        for (int i = 1; i < list.size(); i++) {
            total = add(total, list.get(i));
        }
        if (!(total instanceof Long
                || total instanceof UnsignedLong
                || total instanceof Double
                || total instanceof Duration)) {
            throw new CelEvaluationException("no such overload: " + typeName(total) + ".sum()");
        }
        return total;
    }

    private static Object add(Object a, Object b) throws CelEvaluationException {
        try {
            if (a instanceof Long x && b instanceof Long y) {
                return Math.addExact(x, y);
            }
            if (a instanceof UnsignedLong x && b instanceof UnsignedLong y) {
                UnsignedLong total = x.plus(y);
                if (total.compareTo(x) < 0) {
                    throw new ArithmeticException("overflow");
                }
                return total;
            }
        } catch (ArithmeticException overflow) {
            throw new CelEvaluationException("integer overflow in sum()");
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x + y;
        }
        if (a instanceof Duration x && b instanceof Duration y) {
            return x.plus(y);
        }
        throw new CelEvaluationException("no such overload: sum() of " + typeName(a) + " and " + typeName(b));
    }

    private static Object extreme(List<?> list, int direction, String name) throws CelEvaluationException {
        if (list.isEmpty()) {
            throw new CelEvaluationException(name + " called on empty list"); // upstream's wording
        }
        Object best = list.getFirst();
        for (int i = 1; i < list.size(); i++) {
            if (Integer.signum(compare(list.get(i), best)) == direction) {
                best = list.get(i);
            }
        }
        return best;
    }

    private static boolean isSorted(List<?> list) throws CelEvaluationException {
        for (int i = 1; i < list.size(); i++) {
            if (compare(list.get(i - 1), list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    private static long indexOf(List<?> list, Object value) {
        for (int i = 0; i < list.size(); i++) {
            if (celEquals(list.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    private static long lastIndexOf(List<?> list, Object value) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (celEquals(list.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    /** CEL equality: numbers by value across int, uint and double, lists and maps entry by entry. */
    static boolean celEquals(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b) == 0 && !isNaN(a) && !isNaN(b);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!celEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !celEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return java.util.Objects.equals(a, b);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) throws CelEvaluationException {
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b);
        }
        if (a instanceof CelByteString x && b instanceof CelByteString y) {
            return CelByteString.unsignedLexicographicalComparator().compare(x, y);
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        throw new CelEvaluationException("no ordering between " + typeName(a) + " and " + typeName(b));
    }

    private static boolean isNumber(Object o) {
        return o instanceof Long || o instanceof UnsignedLong || o instanceof Double;
    }

    private static boolean isNaN(Object o) {
        return o instanceof Double d && d.isNaN();
    }

    // CEL's heterogeneous numeric ordering: exact between int and uint, by value against a double.
    private static int compareNumbers(Object a, Object b) {
        if (a instanceof Double || b instanceof Double) {
            return Double.compare(toDouble(a), toDouble(b));
        }
        return integer(a).compareTo(integer(b));
    }

    private static BigInteger integer(Object o) {
        return o instanceof UnsignedLong u ? u.bigIntegerValue() : BigInteger.valueOf((Long) o);
    }

    private static double toDouble(Object o) {
        return ((Number) (o instanceof UnsignedLong u ? u.doubleValue() : o)).doubleValue();
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
