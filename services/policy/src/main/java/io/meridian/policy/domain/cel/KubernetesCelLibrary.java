package io.meridian.policy.domain.cel;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Kubernetes CEL libraries of Kubernetes 1.33 that dev.cel does not ship, with the names and semantics of
 * k8s.io/apiserver/pkg/cel/library: quantity, URL, regex {@code find} / {@code findAll} (RE2, see {@link CelRegex}),
 * lists ({@link KubernetesLists}), format ({@link NamedFormat}), semver ({@link Semver}), ip ({@link IpAddress}),
 * cidr ({@link Cidr}) and {@code jsonpatch.escapeKey}; {@code authorizer} is {@link KubernetesAuthorizer}.
 */
public final class KubernetesCelLibrary {

    /** {@code kubernetes.Quantity}, as Kubernetes names the type. */
    public static final CelType QUANTITY = OpaqueType.create("kubernetes.Quantity");

    /** {@code kubernetes.URL}. */
    public static final CelType URL = OpaqueType.create("kubernetes.URL");

    /** {@code kubernetes.Semver}. */
    public static final CelType SEMVER = OpaqueType.create("kubernetes.Semver");

    /** {@code net.IP}. */
    public static final CelType IP = OpaqueType.create("net.IP");

    /** {@code net.CIDR}. */
    public static final CelType CIDR = OpaqueType.create("net.CIDR");

    /** {@code kubernetes.NamedFormat}. */
    public static final CelType FORMAT = OpaqueType.create("kubernetes.NamedFormat");

    private static final CelType STRING = SimpleType.STRING;
    private static final CelType INT = SimpleType.INT;
    private static final CelType BOOL = SimpleType.BOOL;

    private KubernetesCelLibrary() {}

    /** What the type checker needs to know. */
    public static List<CelFunctionDecl> declarations() {
        return Stream.of(
                        KubernetesLists.declarations().stream(),
                        Stream.of(
                                // quantity
                                fn(
                                        "quantity",
                                        CelOverloadDecl.newGlobalOverload("string_to_quantity", QUANTITY, STRING)),
                                fn("isQuantity", CelOverloadDecl.newGlobalOverload("is_quantity_string", BOOL, STRING)),
                                fn(
                                        "isInteger",
                                        CelOverloadDecl.newMemberOverload("quantity_is_integer", BOOL, QUANTITY)),
                                fn(
                                        "asInteger",
                                        CelOverloadDecl.newMemberOverload("quantity_get_integer", INT, QUANTITY)),
                                fn(
                                        "asApproximateFloat",
                                        CelOverloadDecl.newMemberOverload(
                                                "quantity_get_float", SimpleType.DOUBLE, QUANTITY)),
                                fn("sign", CelOverloadDecl.newMemberOverload("quantity_sign", INT, QUANTITY)),
                                fn(
                                        "add",
                                        CelOverloadDecl.newMemberOverload("quantity_add", QUANTITY, QUANTITY, QUANTITY),
                                        CelOverloadDecl.newMemberOverload("quantity_add_int", QUANTITY, QUANTITY, INT)),
                                fn(
                                        "sub",
                                        CelOverloadDecl.newMemberOverload("quantity_sub", QUANTITY, QUANTITY, QUANTITY),
                                        CelOverloadDecl.newMemberOverload("quantity_sub_int", QUANTITY, QUANTITY, INT)),
                                fn(
                                        "isLessThan",
                                        CelOverloadDecl.newMemberOverload("quantity_less", BOOL, QUANTITY, QUANTITY),
                                        CelOverloadDecl.newMemberOverload("semver_is_less_than", BOOL, SEMVER, SEMVER)),
                                fn(
                                        "isGreaterThan",
                                        CelOverloadDecl.newMemberOverload("quantity_greater", BOOL, QUANTITY, QUANTITY),
                                        CelOverloadDecl.newMemberOverload(
                                                "semver_is_greater_than", BOOL, SEMVER, SEMVER)),
                                fn(
                                        "compareTo",
                                        CelOverloadDecl.newMemberOverload(
                                                "quantity_compare_to", INT, QUANTITY, QUANTITY),
                                        CelOverloadDecl.newMemberOverload("semver_compare_to", INT, SEMVER, SEMVER)),
                                // semver (Kubernetes 1.33: SemverLib version 1, with the normalize argument)
                                fn(
                                        "semver",
                                        CelOverloadDecl.newGlobalOverload("string_to_semver", SEMVER, STRING),
                                        CelOverloadDecl.newGlobalOverload(
                                                "string_bool_to_semver", SEMVER, STRING, BOOL)),
                                fn(
                                        "isSemver",
                                        CelOverloadDecl.newGlobalOverload("is_semver_string", BOOL, STRING),
                                        CelOverloadDecl.newGlobalOverload("is_semver_string_bool", BOOL, STRING, BOOL)),
                                fn("major", CelOverloadDecl.newMemberOverload("semver_major", INT, SEMVER)),
                                fn("minor", CelOverloadDecl.newMemberOverload("semver_minor", INT, SEMVER)),
                                fn("patch", CelOverloadDecl.newMemberOverload("semver_patch", INT, SEMVER)),
                                // ip and cidr
                                fn(
                                        "ip",
                                        CelOverloadDecl.newGlobalOverload("string_to_ip", IP, STRING),
                                        CelOverloadDecl.newMemberOverload("cidr_ip", IP, CIDR)),
                                fn("isIP", CelOverloadDecl.newGlobalOverload("is_ip", BOOL, STRING)),
                                fn(
                                        "ip.isCanonical",
                                        CelOverloadDecl.newGlobalOverload("ip_is_canonical", BOOL, STRING)),
                                fn("family", CelOverloadDecl.newMemberOverload("ip_family", INT, IP)),
                                fn("isUnspecified", CelOverloadDecl.newMemberOverload("ip_is_unspecified", BOOL, IP)),
                                fn("isLoopback", CelOverloadDecl.newMemberOverload("ip_is_loopback", BOOL, IP)),
                                fn(
                                        "isLinkLocalMulticast",
                                        CelOverloadDecl.newMemberOverload("ip_is_link_local_multicast", BOOL, IP)),
                                fn(
                                        "isLinkLocalUnicast",
                                        CelOverloadDecl.newMemberOverload("ip_is_link_local_unicast", BOOL, IP)),
                                fn(
                                        "isGlobalUnicast",
                                        CelOverloadDecl.newMemberOverload("ip_is_global_unicast", BOOL, IP)),
                                fn("cidr", CelOverloadDecl.newGlobalOverload("string_to_cidr", CIDR, STRING)),
                                fn("isCIDR", CelOverloadDecl.newGlobalOverload("is_cidr", BOOL, STRING)),
                                fn(
                                        "containsIP",
                                        CelOverloadDecl.newMemberOverload("cidr_contains_ip_ip", BOOL, CIDR, IP),
                                        CelOverloadDecl.newMemberOverload(
                                                "cidr_contains_ip_string", BOOL, CIDR, STRING)),
                                fn(
                                        "containsCIDR",
                                        CelOverloadDecl.newMemberOverload("cidr_contains_cidr", BOOL, CIDR, CIDR),
                                        CelOverloadDecl.newMemberOverload(
                                                "cidr_contains_cidr_string", BOOL, CIDR, STRING)),
                                fn("masked", CelOverloadDecl.newMemberOverload("cidr_masked", CIDR, CIDR)),
                                fn("prefixLength", CelOverloadDecl.newMemberOverload("cidr_prefix_length", INT, CIDR)),
                                fn(
                                        "string",
                                        CelOverloadDecl.newGlobalOverload("ip_to_string", STRING, IP),
                                        CelOverloadDecl.newGlobalOverload("cidr_to_string", STRING, CIDR)),
                                // format
                                fn(
                                        "format.named",
                                        CelOverloadDecl.newGlobalOverload(
                                                "format_named", OptionalType.create(FORMAT), STRING)),
                                fn(
                                        "validate",
                                        CelOverloadDecl.newMemberOverload(
                                                "format_validate",
                                                OptionalType.create(ListType.create(STRING)),
                                                FORMAT,
                                                STRING)),
                                // jsonpatch
                                fn(
                                        "jsonpatch.escapeKey",
                                        CelOverloadDecl.newGlobalOverload("jsonpatch_escape_key", STRING, STRING)),
                                // URL
                                fn("url", CelOverloadDecl.newGlobalOverload("string_to_url", URL, STRING)),
                                fn("isURL", CelOverloadDecl.newGlobalOverload("is_url_string", BOOL, STRING)),
                                fn("getScheme", CelOverloadDecl.newMemberOverload("url_get_scheme", STRING, URL)),
                                fn("getHost", CelOverloadDecl.newMemberOverload("url_get_host", STRING, URL)),
                                fn("getHostname", CelOverloadDecl.newMemberOverload("url_get_hostname", STRING, URL)),
                                fn("getPort", CelOverloadDecl.newMemberOverload("url_get_port", STRING, URL)),
                                fn(
                                        "getEscapedPath",
                                        CelOverloadDecl.newMemberOverload("url_get_escaped_path", STRING, URL)),
                                fn(
                                        "getQuery",
                                        CelOverloadDecl.newMemberOverload(
                                                "url_get_query", MapType.create(STRING, ListType.create(STRING)), URL)),
                                // regex
                                fn("find", CelOverloadDecl.newMemberOverload("string_find", STRING, STRING, STRING)),
                                fn(
                                        "findAll",
                                        CelOverloadDecl.newMemberOverload(
                                                "string_find_all", ListType.create(STRING), STRING, STRING),
                                        CelOverloadDecl.newMemberOverload(
                                                "string_find_all_n", ListType.create(STRING), STRING, STRING, INT))),
                        NamedFormat.names().stream()
                                .map(name -> fn(
                                        "format." + name, CelOverloadDecl.newGlobalOverload("format_" + name, FORMAT))))
                .flatMap(d -> d)
                .toList();
    }

    /** What the runtime calls. */
    public static List<CelFunctionBinding> bindings() {
        return Stream.of(
                        KubernetesLists.bindings().stream(),
                        Stream.of(
                                CelFunctionBinding.from(
                                        "string_to_quantity", String.class, KubernetesCelLibrary::quantity),
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
                                CelFunctionBinding.from(
                                        "quantity_get_float", Quantity.class, Quantity::asApproximateFloat),
                                CelFunctionBinding.from("quantity_sign", Quantity.class, Quantity::sign),
                                CelFunctionBinding.from("quantity_add", Quantity.class, Quantity.class, Quantity::add),
                                CelFunctionBinding.from(
                                        "quantity_add_int",
                                        Quantity.class,
                                        Long.class,
                                        (q, n) -> q.add(Quantity.of(n))),
                                CelFunctionBinding.from("quantity_sub", Quantity.class, Quantity.class, Quantity::sub),
                                CelFunctionBinding.from(
                                        "quantity_sub_int",
                                        Quantity.class,
                                        Long.class,
                                        (q, n) -> q.sub(Quantity.of(n))),
                                CelFunctionBinding.from(
                                        "quantity_less", Quantity.class, Quantity.class, (a, b) -> a.compareTo(b) < 0),
                                CelFunctionBinding.from(
                                        "quantity_greater",
                                        Quantity.class,
                                        Quantity.class,
                                        (a, b) -> a.compareTo(b) > 0),
                                CelFunctionBinding.from("quantity_compare_to", Quantity.class, Quantity.class, (a, b) ->
                                        (long) Integer.signum(a.compareTo(b))),
                                CelFunctionBinding.from("string_to_url", String.class, KubernetesCelLibrary::url),
                                CelFunctionBinding.from("string_to_semver", String.class, s -> semver(s, false)),
                                CelFunctionBinding.from(
                                        "string_bool_to_semver",
                                        String.class,
                                        Boolean.class,
                                        KubernetesCelLibrary::semver),
                                CelFunctionBinding.from("is_semver_string", String.class, s -> isSemver(s, false)),
                                CelFunctionBinding.from(
                                        "is_semver_string_bool",
                                        String.class,
                                        Boolean.class,
                                        KubernetesCelLibrary::isSemver),
                                CelFunctionBinding.from("semver_major", Semver.class, Semver::major),
                                CelFunctionBinding.from("semver_minor", Semver.class, Semver::minor),
                                CelFunctionBinding.from("semver_patch", Semver.class, Semver::patch),
                                CelFunctionBinding.from(
                                        "semver_is_less_than",
                                        Semver.class,
                                        Semver.class,
                                        (a, b) -> a.compareTo(b) < 0),
                                CelFunctionBinding.from(
                                        "semver_is_greater_than",
                                        Semver.class,
                                        Semver.class,
                                        (a, b) -> a.compareTo(b) > 0),
                                CelFunctionBinding.from("semver_compare_to", Semver.class, Semver.class, (a, b) ->
                                        (long) a.compareTo(b)),
                                CelFunctionBinding.from("string_to_ip", String.class, KubernetesCelLibrary::ip),
                                CelFunctionBinding.from("cidr_ip", Cidr.class, Cidr::address),
                                CelFunctionBinding.from("is_ip", String.class, s -> succeeds(() -> IpAddress.parse(s))),
                                CelFunctionBinding.from("ip_is_canonical", String.class, s -> {
                                    try {
                                        return IpAddress.isCanonical(s);
                                    } catch (IpAddress.InvalidAddress e) {
                                        throw new CelEvaluationException(e.getMessage());
                                    }
                                }),
                                CelFunctionBinding.from("ip_family", IpAddress.class, IpAddress::family),
                                CelFunctionBinding.from("ip_is_unspecified", IpAddress.class, IpAddress::isUnspecified),
                                CelFunctionBinding.from("ip_is_loopback", IpAddress.class, IpAddress::isLoopback),
                                CelFunctionBinding.from(
                                        "ip_is_link_local_multicast", IpAddress.class, IpAddress::isLinkLocalMulticast),
                                CelFunctionBinding.from(
                                        "ip_is_link_local_unicast", IpAddress.class, IpAddress::isLinkLocalUnicast),
                                CelFunctionBinding.from(
                                        "ip_is_global_unicast", IpAddress.class, IpAddress::isGlobalUnicast),
                                CelFunctionBinding.from("string_to_cidr", String.class, KubernetesCelLibrary::cidr),
                                CelFunctionBinding.from("is_cidr", String.class, s -> succeeds(() -> Cidr.parse(s))),
                                CelFunctionBinding.from(
                                        "cidr_contains_ip_ip", Cidr.class, IpAddress.class, Cidr::containsIp),
                                CelFunctionBinding.from(
                                        "cidr_contains_ip_string",
                                        Cidr.class,
                                        String.class,
                                        (c, s) -> c.containsIp(ip(s))),
                                CelFunctionBinding.from(
                                        "cidr_contains_cidr", Cidr.class, Cidr.class, Cidr::containsCidr),
                                CelFunctionBinding.from(
                                        "cidr_contains_cidr_string",
                                        Cidr.class,
                                        String.class,
                                        (c, s) -> c.containsCidr(cidr(s))),
                                CelFunctionBinding.from("cidr_masked", Cidr.class, Cidr::masked),
                                CelFunctionBinding.from("cidr_prefix_length", Cidr.class, Cidr::prefixLength),
                                CelFunctionBinding.from("ip_to_string", IpAddress.class, IpAddress::toString),
                                CelFunctionBinding.from("cidr_to_string", Cidr.class, Cidr::toString),
                                CelFunctionBinding.from("format_named", String.class, NamedFormat::named),
                                CelFunctionBinding.from("format_validate", NamedFormat.class, String.class, (f, s) -> {
                                    // every format validates with at most a few RE2 matches over the text
                                    CelCostBudget.chargeCurrent(CelRegex.cost(s.length(), 60));
                                    return f.validate(s);
                                }),
                                CelFunctionBinding.from(
                                        "jsonpatch_escape_key",
                                        String.class,
                                        s -> s.replace("~", "~0").replace("/", "~1")),
                                CelFunctionBinding.from(
                                        "is_url_string",
                                        String.class,
                                        s -> KubernetesUrl.parse(s).isPresent()),
                                CelFunctionBinding.from(
                                        "url_get_scheme", KubernetesUrl.class, KubernetesUrl::getScheme),
                                CelFunctionBinding.from("url_get_host", KubernetesUrl.class, KubernetesUrl::getHost),
                                CelFunctionBinding.from(
                                        "url_get_hostname", KubernetesUrl.class, KubernetesUrl::getHostname),
                                CelFunctionBinding.from("url_get_port", KubernetesUrl.class, KubernetesUrl::getPort),
                                CelFunctionBinding.from(
                                        "url_get_escaped_path", KubernetesUrl.class, KubernetesUrl::getEscapedPath),
                                CelFunctionBinding.from("url_get_query", KubernetesUrl.class, KubernetesUrl::getQuery),
                                CelFunctionBinding.from("string_find", String.class, String.class, CelRegex::find),
                                CelFunctionBinding.from(
                                        "string_find_all",
                                        String.class,
                                        String.class,
                                        (s, re) -> CelRegex.findAll(s, re, -1)),
                                CelFunctionBinding.from(
                                        "string_find_all_n",
                                        List.of(String.class, String.class, Long.class),
                                        args -> CelRegex.findAll((String) args[0], (String) args[1], (Long) args[2]))),
                        NamedFormat.names().stream()
                                .map(name -> CelFunctionBinding.from(
                                        "format_" + name, List.of(), args -> new NamedFormat(name))))
                .flatMap(b -> b)
                .toList();
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl... overloads) {
        return CelFunctionDecl.newFunctionDeclaration(name, overloads);
    }

    private static Quantity quantity(String text) throws CelEvaluationException {
        return Quantity.parse(text).orElseThrow(() -> new CelEvaluationException(Quantity.parseError(text)));
    }

    private static Semver semver(String text, boolean normalize) throws CelEvaluationException {
        try {
            return normalize ? Semver.parseNormalized(text) : Semver.parse(text);
        } catch (Semver.InvalidSemver e) {
            throw new CelEvaluationException(e.getMessage());
        }
    }

    private static boolean isSemver(String text, boolean normalize) {
        try {
            semver(text, normalize);
            return true;
        } catch (CelEvaluationException e) {
            return false;
        }
    }

    private static IpAddress ip(String text) throws CelEvaluationException {
        try {
            return IpAddress.parse(text);
        } catch (IpAddress.InvalidAddress e) {
            throw new CelEvaluationException(e.getMessage());
        }
    }

    private static Cidr cidr(String text) throws CelEvaluationException {
        try {
            return Cidr.parse(text);
        } catch (IpAddress.InvalidAddress e) {
            throw new CelEvaluationException(e.getMessage());
        }
    }

    private interface Parse {
        Object run() throws IpAddress.InvalidAddress;
    }

    private static boolean succeeds(Parse parse) {
        try {
            parse.run();
            return true;
        } catch (IpAddress.InvalidAddress e) {
            return false;
        }
    }

    private static KubernetesUrl url(String text) throws CelEvaluationException {
        return KubernetesUrl.parse(text)
                .orElseThrow(() -> new CelEvaluationException("URL parse error during conversion from string: '" + text
                        + "' is not an absolute URI or absolute path"));
    }
}
