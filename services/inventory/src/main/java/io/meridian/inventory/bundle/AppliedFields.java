package io.meridian.inventory.bundle;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a live object still holds every field a desired (applied) object sets, with the merge semantics of
 * Kubernetes server-side apply; the first field that does not is drift.
 *
 * <p>Why a comparison of desired against live and not a reading of our manager's {@code managedFields}: when another
 * manager takes a field we set (an HPA's {@code kubectl scale}, a {@code kubectl edit}), the server moves the field's
 * ownership to it, so our {@code fieldsV1} no longer lists the very field that drifted. Comparing what we applied with
 * what is there catches that, and needs only the object the watch already delivers. The rules:
 *
 * <ul>
 *   <li>Maps are compared key by key, recursively: keys the server or other managers added are not drift.
 *   <li>List-maps ({@code x-kubernetes-list-type: map} in the Kubernetes OpenAPI; containers by name, ports by
 *       containerPort and protocol, ...) are matched element by element on their keys: elements other managers added
 *       (an injected sidecar) are not drift. A key field the server defaults ({@code protocol}) matches its default.
 *   <li>Sets ({@code finalizers}, {@code validationActions}): every desired element must be present.
 *   <li>Every other list is atomic: its owner sets it whole, so it must have the same length and each element must
 *       hold the desired element (element-wise, so the defaults the server fills into elements, like a resource
 *       rule's {@code scope}, are not drift). A field someone added inside an atomic list's element that the server
 *       would not default is therefore not seen: the one blind spot, accepted because no defaulting table of every
 *       element type is kept here.
 *   <li>Scalars are equal as JSON values, numbers by value, and quantities ({@code "0.5"} and {@code "500m"}) by
 *       amount, since the server canonicalises them.
 *   <li>An empty desired map or list is satisfied by an absent field (the server omits empty values).
 * </ul>
 *
 * <p>{@code status} is never compared; in {@code metadata} only labels and annotations are.
 */
final class AppliedFields {

    /** Lists the Kubernetes OpenAPI declares {@code x-kubernetes-list-type: map}, by their field name, with keys. */
    private static final Map<String, List<String>> LIST_MAP_KEYS = Map.ofEntries(
            Map.entry("containers", List.of("name")),
            Map.entry("initContainers", List.of("name")),
            Map.entry("ephemeralContainers", List.of("name")),
            Map.entry("env", List.of("name")),
            Map.entry("volumeMounts", List.of("mountPath")),
            Map.entry("volumeDevices", List.of("devicePath")),
            Map.entry("volumes", List.of("name")),
            Map.entry("imagePullSecrets", List.of("name")),
            Map.entry("topologySpreadConstraints", List.of("topologyKey", "whenUnsatisfiable")),
            Map.entry("hostAliases", List.of("ip")),
            Map.entry("resourceClaims", List.of("name")),
            Map.entry("schedulingGates", List.of("name")),
            Map.entry("matchConditions", List.of("name")),
            Map.entry("ownerReferences", List.of("uid")),
            Map.entry("conditions", List.of("type")));

    /** Container ports and Service ports are list-maps too, on different keys. */
    private static final List<String> CONTAINER_PORT_KEYS = List.of("containerPort", "protocol");

    private static final List<String> SERVICE_PORT_KEYS = List.of("port", "protocol");

    /** Lists the OpenAPI declares {@code x-kubernetes-list-type: set}. */
    private static final List<String> SETS = List.of("finalizers", "validationActions");

    /** Key fields a server defaults when the applier leaves them out. */
    private static final Map<String, Object> KEY_DEFAULTS = Map.of("protocol", "TCP");

    private static final Pattern QUANTITY =
            Pattern.compile("([+-]?(?:\\d+(\\.\\d*)?|\\.\\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\\d{1,3}|[numkMGTPE])?");

    /** Where Kubernetes keeps resource quantities, which the server canonicalises ({@code 0.5} to {@code 500m}). */
    private static final Pattern QUANTITY_FIELD = Pattern.compile(
            "(^|\\.)(resources|requests|limits|hard|capacity|overhead|min|max|default|defaultRequest)(\\.|\\[|$)");

    private AppliedFields() {}

    /**
     * The path of the first field {@code desired} sets that {@code live} does not hold (empty: no drift), in the
     * notation {@code spec.template.spec.containers[name=app].image}; an atomic list is named as a whole.
     */
    @SuppressWarnings("unchecked")
    static Optional<String> firstDifference(Map<String, Object> desired, Map<String, Object> live) {
        if (live == null) {
            return Optional.of("");
        }
        for (Map.Entry<String, Object> field : desired.entrySet()) {
            String name = field.getKey();
            if (name.equals("apiVersion") || name.equals("kind") || name.equals("status")) {
                continue;
            }
            if (name.equals("metadata")) {
                Map<String, Object> want = field.getValue() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                Map<String, Object> have = live.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
                for (String part : List.of("labels", "annotations")) {
                    Optional<String> difference =
                            keyed("metadata." + part, want.get(part), have == null ? null : have.get(part));
                    if (difference.isPresent()) {
                        return difference;
                    }
                }
                continue;
            }
            Optional<String> difference = compare(name, name, field.getValue(), live.get(name), kindOf(desired));
            if (difference.isPresent()) {
                return difference;
            }
        }
        return Optional.empty();
    }

    /** Labels and annotations: keys with dots and slashes, so each is named in brackets. */
    @SuppressWarnings("unchecked")
    private static Optional<String> keyed(String path, Object desired, Object live) {
        if (!(desired instanceof Map<?, ?> want)) {
            return Optional.empty();
        }
        Map<String, Object> have = live instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        for (Map.Entry<?, ?> entry : want.entrySet()) {
            if (!scalarEquals(path, entry.getValue(), have.get(String.valueOf(entry.getKey())))) {
                return Optional.of(path + "[" + entry.getKey() + "]");
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> compare(String path, String field, Object desired, Object live, String kind) {
        if (desired == null) {
            return Optional.empty();
        }
        if (desired instanceof Map<?, ?> want) {
            if (live == null && want.isEmpty()) {
                return Optional.empty();
            }
            if (!(live instanceof Map<?, ?> have)) {
                return Optional.of(path);
            }
            for (Map.Entry<?, ?> entry : want.entrySet()) {
                String child = String.valueOf(entry.getKey());
                Optional<String> difference =
                        compare(path + "." + child, child, entry.getValue(), have.get(child), kind);
                if (difference.isPresent()) {
                    return difference;
                }
            }
            return Optional.empty();
        }
        if (desired instanceof List<?> want) {
            if (live == null && want.isEmpty()) {
                return Optional.empty();
            }
            if (!(live instanceof List<?> have)) {
                return Optional.of(path);
            }
            List<String> keys = listMapKeys(path, field, kind);
            if (keys != null) {
                return listMap(path, (List<Object>) want, (List<Object>) have, keys, kind);
            }
            if (SETS.contains(field)) {
                for (Object element : want) {
                    if (have.stream().noneMatch(h -> covers(path, element, h))) {
                        return Optional.of(path);
                    }
                }
                return Optional.empty();
            }
            return covers(path, want, have) ? Optional.empty() : Optional.of(path);
        }
        return scalarEquals(path, desired, live) ? Optional.empty() : Optional.of(path);
    }

    private static Optional<String> listMap(
            String path, List<Object> desired, List<Object> live, List<String> keys, String kind) {
        for (Object element : desired) {
            if (!(element instanceof Map<?, ?> want)) {
                return Optional.of(path);
            }
            String elementPath = path + "[" + keyText(want, keys) + "]";
            Object match = live.stream()
                    .filter(h -> h instanceof Map<?, ?> have && sameKeys(want, have, keys))
                    .findFirst()
                    .orElse(null);
            if (match == null) {
                return Optional.of(elementPath);
            }
            Optional<String> difference = compare(elementPath, "", want, match, kind);
            if (difference.isPresent()) {
                return difference;
            }
        }
        return Optional.empty();
    }

    /** Whether {@code live} holds everything {@code desired} does, without naming where it does not. */
    private static boolean covers(String path, Object desired, Object live) {
        if (desired == null) {
            return true;
        }
        if (desired instanceof Map<?, ?> want) {
            if (live == null && want.isEmpty()) {
                return true;
            }
            if (!(live instanceof Map<?, ?> have)) {
                return false;
            }
            return want.entrySet().stream()
                    .allMatch(e -> covers(path + "." + e.getKey(), e.getValue(), have.get(e.getKey())));
        }
        if (desired instanceof List<?> want) {
            if (live == null && want.isEmpty()) {
                return true;
            }
            if (!(live instanceof List<?> have) || have.size() != want.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!covers(path + "[]", want.get(i), have.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return scalarEquals(path, desired, live);
    }

    private static List<String> listMapKeys(String path, String field, String kind) {
        if (field.equals("ports")) {
            if (path.equals("spec.ports") && "Service".equals(kind)) {
                return SERVICE_PORT_KEYS;
            }
            // A container's ports: the path's last element before ".ports" is a container.
            return path.matches(".*(containers|initContainers|ephemeralContainers)\\[[^]]*]\\.ports")
                    ? CONTAINER_PORT_KEYS
                    : null;
        }
        if (field.equals("conditions") && !path.startsWith("status")) {
            return null; // only status conditions are list-maps; status is never compared anyway
        }
        return LIST_MAP_KEYS.get(field);
    }

    private static boolean sameKeys(Map<?, ?> desired, Map<?, ?> live, List<String> keys) {
        for (String key : keys) {
            Object want = desired.containsKey(key) ? desired.get(key) : KEY_DEFAULTS.get(key);
            Object have = live.containsKey(key) ? live.get(key) : KEY_DEFAULTS.get(key);
            if (!scalarEquals(key, want, have)) {
                return false;
            }
        }
        return true;
    }

    private static String keyText(Map<?, ?> element, List<String> keys) {
        List<String> parts = new ArrayList<>();
        for (String key : keys) {
            Object value = element.containsKey(key) ? element.get(key) : KEY_DEFAULTS.get(key);
            if (value != null) {
                parts.add(key + "=" + value);
            }
        }
        return String.join(",", parts);
    }

    static boolean scalarEquals(String path, Object desired, Object live) {
        if (Objects.equals(desired, live)) {
            return true;
        }
        if (desired == null || live == null) {
            return false;
        }
        if (desired instanceof Number a && live instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        if (QUANTITY_FIELD.matcher(path).find()
                && (desired instanceof String || desired instanceof Number)
                && (live instanceof String || live instanceof Number)) {
            BigDecimal a = quantity(desired.toString());
            BigDecimal b = quantity(live.toString());
            return a != null && b != null && a.compareTo(b) == 0;
        }
        return false;
    }

    /** A Kubernetes quantity's amount, or null when the text is not one. */
    static BigDecimal quantity(String text) {
        if (text.length() > 64) {
            return null;
        }
        java.util.regex.Matcher matcher = QUANTITY.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        BigDecimal amount = new BigDecimal(
                matcher.group(1).startsWith("+") ? matcher.group(1).substring(1) : matcher.group(1));
        String suffix = matcher.group(3) == null ? "" : matcher.group(3);
        if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            return amount.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        }
        return switch (suffix) {
            case "" -> amount;
            case "n" -> amount.scaleByPowerOfTen(-9);
            case "u" -> amount.scaleByPowerOfTen(-6);
            case "m" -> amount.scaleByPowerOfTen(-3);
            case "k" -> amount.scaleByPowerOfTen(3);
            case "M" -> amount.scaleByPowerOfTen(6);
            case "G" -> amount.scaleByPowerOfTen(9);
            case "T" -> amount.scaleByPowerOfTen(12);
            case "P" -> amount.scaleByPowerOfTen(15);
            case "E" -> amount.scaleByPowerOfTen(18);
            case "Ki" -> amount.multiply(BigDecimal.valueOf(1L << 10));
            case "Mi" -> amount.multiply(BigDecimal.valueOf(1L << 20));
            case "Gi" -> amount.multiply(BigDecimal.valueOf(1L << 30));
            case "Ti" -> amount.multiply(BigDecimal.valueOf(1L << 40));
            case "Pi" -> amount.multiply(BigDecimal.valueOf(1L << 50));
            case "Ei" -> amount.multiply(BigDecimal.valueOf(1L << 60));
            default -> null;
        };
    }

    private static String kindOf(Map<String, Object> object) {
        return object.get("kind") instanceof String kind ? kind : "";
    }
}
