package io.meridian.policy.domain.cel;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;

/**
 * The Kubernetes CEL libraries that dev.cel does not ship: quantity, URL, the Kubernetes list functions
 * ({@code isSorted}, {@code sum}, {@code min}, {@code max}, {@code indexOf}, {@code lastIndexOf}) and the
 * regex functions {@code find} / {@code findAll} (RE2, see {@link CelRegex}), with the names and semantics of
 * k8s.io/apiserver/pkg/cel/library.
 */
public final class KubernetesCelLibrary {

    /** {@code kubernetes.Quantity}, as Kubernetes names the type. */
    public static final CelType QUANTITY = OpaqueType.create("kubernetes.Quantity");

    /** {@code kubernetes.URL}. */
    public static final CelType URL = OpaqueType.create("kubernetes.URL");

    private static final CelType T = TypeParamType.create("T");
    private static final CelType LIST_T = ListType.create(T);
    private static final CelType STRING = SimpleType.STRING;
    private static final CelType INT = SimpleType.INT;
    private static final CelType BOOL = SimpleType.BOOL;

    private KubernetesCelLibrary() {}

    /** What the type checker needs to know. */
    public static List<CelFunctionDecl> declarations() {
        return List.of(
                // quantity
                fn("quantity", CelOverloadDecl.newGlobalOverload("string_to_quantity", QUANTITY, STRING)),
                fn("isQuantity", CelOverloadDecl.newGlobalOverload("is_quantity_string", BOOL, STRING)),
                fn("isInteger", CelOverloadDecl.newMemberOverload("quantity_is_integer", BOOL, QUANTITY)),
                fn("asInteger", CelOverloadDecl.newMemberOverload("quantity_get_integer", INT, QUANTITY)),
                fn(
                        "asApproximateFloat",
                        CelOverloadDecl.newMemberOverload("quantity_get_float", SimpleType.DOUBLE, QUANTITY)),
                fn("sign", CelOverloadDecl.newMemberOverload("quantity_sign", INT, QUANTITY)),
                fn(
                        "add",
                        CelOverloadDecl.newMemberOverload("quantity_add", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_add_int", QUANTITY, QUANTITY, INT)),
                fn(
                        "sub",
                        CelOverloadDecl.newMemberOverload("quantity_sub", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_sub_int", QUANTITY, QUANTITY, INT)),
                fn("isLessThan", CelOverloadDecl.newMemberOverload("quantity_less", BOOL, QUANTITY, QUANTITY)),
                fn("isGreaterThan", CelOverloadDecl.newMemberOverload("quantity_greater", BOOL, QUANTITY, QUANTITY)),
                fn("compareTo", CelOverloadDecl.newMemberOverload("quantity_compare_to", INT, QUANTITY, QUANTITY)),
                // URL
                fn("url", CelOverloadDecl.newGlobalOverload("string_to_url", URL, STRING)),
                fn("isURL", CelOverloadDecl.newGlobalOverload("is_url_string", BOOL, STRING)),
                fn("getScheme", CelOverloadDecl.newMemberOverload("url_get_scheme", STRING, URL)),
                fn("getHost", CelOverloadDecl.newMemberOverload("url_get_host", STRING, URL)),
                fn("getHostname", CelOverloadDecl.newMemberOverload("url_get_hostname", STRING, URL)),
                fn("getPort", CelOverloadDecl.newMemberOverload("url_get_port", STRING, URL)),
                fn("getEscapedPath", CelOverloadDecl.newMemberOverload("url_get_escaped_path", STRING, URL)),
                fn(
                        "getQuery",
                        CelOverloadDecl.newMemberOverload(
                                "url_get_query", MapType.create(STRING, ListType.create(STRING)), URL)),
                // lists: one overload per function keeps runtime dispatch unambiguous for dyn lists
                fn("isSorted", CelOverloadDecl.newMemberOverload("list_is_sorted", BOOL, LIST_T)),
                fn("sum", CelOverloadDecl.newMemberOverload("list_sum", T, LIST_T)),
                fn("min", CelOverloadDecl.newMemberOverload("list_min", T, LIST_T)),
                fn("max", CelOverloadDecl.newMemberOverload("list_max", T, LIST_T)),
                fn("indexOf", CelOverloadDecl.newMemberOverload("list_index_of", INT, LIST_T, T)),
                fn("lastIndexOf", CelOverloadDecl.newMemberOverload("list_last_index_of", INT, LIST_T, T)),
                // regex
                fn("find", CelOverloadDecl.newMemberOverload("string_find", STRING, STRING, STRING)),
                fn(
                        "findAll",
                        CelOverloadDecl.newMemberOverload("string_find_all", ListType.create(STRING), STRING, STRING),
                        CelOverloadDecl.newMemberOverload(
                                "string_find_all_n", ListType.create(STRING), STRING, STRING, INT)));
    }

    /** What the runtime calls. */
    public static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("string_to_quantity", String.class, KubernetesCelLibrary::quantity),
                CelFunctionBinding.from(
                        "is_quantity_string",
                        String.class,
                        s -> Quantity.parse(s).isPresent()),
                CelFunctionBinding.from("quantity_is_integer", Quantity.class, Quantity::isInteger),
                CelFunctionBinding.from("quantity_get_integer", Quantity.class, q -> {
                    try {
                        return q.asInteger();
                    } catch (ArithmeticException e) {
                        throw new CelEvaluationException(e.getMessage());
                    }
                }),
                CelFunctionBinding.from("quantity_get_float", Quantity.class, Quantity::asApproximateFloat),
                CelFunctionBinding.from("quantity_sign", Quantity.class, Quantity::sign),
                CelFunctionBinding.from("quantity_add", Quantity.class, Quantity.class, Quantity::add),
                CelFunctionBinding.from(
                        "quantity_add_int", Quantity.class, Long.class, (q, n) -> q.add(Quantity.of(n))),
                CelFunctionBinding.from("quantity_sub", Quantity.class, Quantity.class, Quantity::sub),
                CelFunctionBinding.from(
                        "quantity_sub_int", Quantity.class, Long.class, (q, n) -> q.sub(Quantity.of(n))),
                CelFunctionBinding.from("quantity_less", Quantity.class, Quantity.class, (a, b) -> a.compareTo(b) < 0),
                CelFunctionBinding.from(
                        "quantity_greater", Quantity.class, Quantity.class, (a, b) -> a.compareTo(b) > 0),
                CelFunctionBinding.from("quantity_compare_to", Quantity.class, Quantity.class, (a, b) ->
                        (long) Integer.signum(a.compareTo(b))),
                CelFunctionBinding.from("string_to_url", String.class, KubernetesCelLibrary::url),
                CelFunctionBinding.from(
                        "is_url_string",
                        String.class,
                        s -> KubernetesUrl.parse(s).isPresent()),
                CelFunctionBinding.from("url_get_scheme", KubernetesUrl.class, KubernetesUrl::getScheme),
                CelFunctionBinding.from("url_get_host", KubernetesUrl.class, KubernetesUrl::getHost),
                CelFunctionBinding.from("url_get_hostname", KubernetesUrl.class, KubernetesUrl::getHostname),
                CelFunctionBinding.from("url_get_port", KubernetesUrl.class, KubernetesUrl::getPort),
                CelFunctionBinding.from("url_get_escaped_path", KubernetesUrl.class, KubernetesUrl::getEscapedPath),
                CelFunctionBinding.from("url_get_query", KubernetesUrl.class, KubernetesUrl::getQuery),
                CelFunctionBinding.from("list_is_sorted", List.class, KubernetesCelLibrary::isSorted),
                CelFunctionBinding.from("list_sum", List.class, KubernetesCelLibrary::sum),
                CelFunctionBinding.from("list_min", List.class, l -> extreme(l, -1, "min")),
                CelFunctionBinding.from("list_max", List.class, l -> extreme(l, 1, "max")),
                CelFunctionBinding.from("list_index_of", List.class, Object.class, (l, v) -> (long) l.indexOf(v)),
                CelFunctionBinding.from(
                        "list_last_index_of", List.class, Object.class, (l, v) -> (long) l.lastIndexOf(v)),
                CelFunctionBinding.from("string_find", String.class, String.class, CelRegex::find),
                CelFunctionBinding.from(
                        "string_find_all", String.class, String.class, (s, re) -> CelRegex.findAll(s, re, -1)),
                CelFunctionBinding.from(
                        "string_find_all_n",
                        List.of(String.class, String.class, Long.class),
                        args -> CelRegex.findAll((String) args[0], (String) args[1], (Long) args[2])));
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl... overloads) {
        return CelFunctionDecl.newFunctionDeclaration(name, overloads);
    }

    private static Quantity quantity(String text) throws CelEvaluationException {
        return Quantity.parse(text)
                .orElseThrow(() -> new CelEvaluationException("quantities must match the regular expression"
                        + " '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': '" + text + "'"));
    }

    private static KubernetesUrl url(String text) throws CelEvaluationException {
        return KubernetesUrl.parse(text)
                .orElseThrow(() -> new CelEvaluationException("URL parse error during conversion from string: '" + text
                        + "' is not an absolute URI or absolute path"));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean isSorted(List<?> list) throws CelEvaluationException {
        for (int i = 1; i < list.size(); i++) {
            if (compare(list.get(i - 1), list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    private static Object sum(List<?> list) throws CelEvaluationException {
        if (list.isEmpty()) {
            return 0L; // Kubernetes answers the zero of the element type; an empty dyn list has none, int it is
        }
        if (list.stream().allMatch(Long.class::isInstance)) {
            long total = 0;
            for (Object o : list) {
                try {
                    total = Math.addExact(total, (Long) o);
                } catch (ArithmeticException overflow) {
                    throw new CelEvaluationException("integer overflow in sum()");
                }
            }
            return total;
        }
        if (list.stream().allMatch(Double.class::isInstance)) {
            double total = 0;
            for (Object o : list) {
                total += (Double) o;
            }
            return total;
        }
        if (list.stream().allMatch(java.time.Duration.class::isInstance)) {
            java.time.Duration total = java.time.Duration.ZERO;
            for (Object o : list) {
                total = total.plus((java.time.Duration) o);
            }
            return total;
        }
        throw new CelEvaluationException("sum() needs a list of int, double or duration");
    }

    private static Object extreme(List<?> list, int direction, String name) throws CelEvaluationException {
        if (list.isEmpty()) {
            throw new CelEvaluationException(name + "() cannot be applied to an empty list");
        }
        Object best = list.get(0);
        for (int i = 1; i < list.size(); i++) {
            if (Integer.signum(compare(list.get(i), best)) == direction) {
                best = list.get(i);
            }
        }
        return best;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) throws CelEvaluationException {
        if (a instanceof Number x && b instanceof Number y && (a instanceof Double || b instanceof Double)) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        throw new CelEvaluationException("no ordering between " + typeName(a) + " and " + typeName(b));
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
