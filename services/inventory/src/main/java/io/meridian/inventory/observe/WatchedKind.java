package io.meridian.inventory.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One kind inventory watches on every cluster; {@code group} is the empty string for the core group, and the
 * configuration form is {@code group/version/Kind/plural[/cluster]} (see {@link #parse(String)}).
 */
public record WatchedKind(String group, String version, String kind, String plural, boolean namespaced) {

    /** The word that stands for the core group (whose real name is the empty string) in the configuration form. */
    public static final String CORE = "core";

    static final String FORMAT =
            "group/version/Kind/plural[/cluster], e.g. networking.k8s.io/v1/NetworkPolicy/networkpolicies"
                    + " or cluster.x-k8s.io/v1beta1/Cluster/clusters/cluster (use 'core' as the group of core kinds"
                    + " and end with '/cluster' for a cluster-scoped kind)";

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern VERSION = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]*");

    public WatchedKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plural, "plural");
        List<String> problems = problems(group, version, kind, plural);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid watched kind " + group + "/" + version + "/" + kind + "/"
                    + plural + ": " + String.join("; ", problems));
        }
    }

    /**
     * Reads a kind added by configuration.
     *
     * @throws IllegalArgumentException naming the expected format when {@code spec} does not follow it
     */
    public static WatchedKind parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw invalid(spec, "it is empty");
        }
        String[] parts = spec.trim().split("/", -1);
        if (parts.length < 4 || parts.length > 5) {
            throw invalid(
                    spec,
                    "it has " + parts.length + " segment" + (parts.length == 1 ? "" : "s")
                            + " separated by '/', expected 4 or 5");
        }
        boolean namespaced = true;
        if (parts.length == 5) {
            if (!"cluster".equals(parts[4])) {
                throw invalid(spec, "the fifth segment is '" + parts[4] + "', the only one allowed is 'cluster'");
            }
            namespaced = false;
        }
        String group = CORE.equals(parts[0]) ? "" : parts[0];
        if (parts[0].isEmpty()) {
            throw invalid(spec, "the group is empty");
        }
        List<String> problems = problems(group, parts[1], parts[2], parts[3]);
        if (!problems.isEmpty()) {
            throw invalid(spec, String.join("; ", problems));
        }
        return new WatchedKind(group, parts[1], parts[2], parts[3], namespaced);
    }

    /** {@code v1} for the core group, {@code group/version} otherwise, as in an object's {@code apiVersion}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The configuration form, which {@link #parse(String)} reads back. */
    public String spec() {
        return (group.isEmpty() ? CORE : group) + "/" + version + "/" + kind + "/" + plural
                + (namespaced ? "" : "/cluster");
    }

    private static List<String> problems(String group, String version, String kind, String plural) {
        List<String> problems = new ArrayList<>();
        if (!group.isEmpty()
                && (group.length() > 253 || !DNS_SUBDOMAIN.matcher(group).matches())) {
            problems.add("group '" + group + "' is not a lower-case DNS subdomain like apps or cluster.x-k8s.io");
        }
        if (version.length() > 63 || !VERSION.matcher(version).matches()) {
            problems.add("version '" + version + "' is not a version like v1 or v1beta1");
        }
        if (!KIND.matcher(kind).matches()) {
            problems.add("kind '" + kind + "' is not a CamelCase kind like NetworkPolicy");
        }
        if (plural.length() > 63 || !DNS_LABEL.matcher(plural).matches()) {
            problems.add("plural '" + plural + "' is not a lower-case resource name like networkpolicies");
        }
        return problems;
    }

    private static IllegalArgumentException invalid(String spec, String problem) {
        return new IllegalArgumentException("invalid watched kind '" + spec + "': " + problem + "; expected " + FORMAT);
    }
}
