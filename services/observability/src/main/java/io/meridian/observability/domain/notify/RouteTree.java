package io.meridian.observability.domain.notify;

import io.meridian.observability.domain.Durations;
import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.domain.LabelMatcher;
import io.meridian.observability.domain.RuleCompiler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The compiled route tree: every node with its settings resolved from its ancestors, matched as Alertmanager
 * does. An alert descends into the first child that matches (and the later ones too while a matching child has
 * {@code continue}); a node none of whose children match handles the alert itself. The root matches every alert.
 */
public final class RouteTree {

    /** Alertmanager's defaults for a root that leaves them out. */
    public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);

    public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

    /** {@code group_by: ["..."]}: every label is a grouping label. */
    public static final String ALL_LABELS = "...";

    static final int MAX_DEPTH = 10;
    static final int MAX_ROUTES = 500;
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,62}");

    /** A node's effective settings, after inheritance. */
    public record Settings(
            String receiver,
            List<String> groupBy,
            Duration groupWait,
            Duration groupInterval,
            Duration repeatInterval) {

        public Settings {
            groupBy = List.copyOf(groupBy);
        }

        /** The grouping labels' values of an alert; a missing label is left out, as in Alertmanager. */
        public Map<String, String> groupLabels(Map<String, String> labels) {
            if (groupBy.contains(ALL_LABELS)) {
                return new TreeMap<>(labels);
            }
            Map<String, String> out = new TreeMap<>();
            for (String label : groupBy) {
                String value = labels.get(label);
                if (value != null && !value.isEmpty()) {
                    out.put(label, value);
                }
            }
            return out;
        }
    }

    /** One node: {@code id} names it uniquely in the tree and prefixes the keys of its groups. */
    public record Node(
            String id, List<LabelMatcher> matchers, boolean continueMatching, Settings settings, List<Node> children) {

        public Node {
            matchers = List.copyOf(matchers);
            children = List.copyOf(children);
        }
    }

    /** A compiled tree, or the problems that prevent it, each naming its field. */
    public record Result(RouteTree tree, List<FieldProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final Node root;

    private RouteTree(Node root) {
        this.root = root;
    }

    public Node root() {
        return root;
    }

    /** Compiles and validates a tree; {@code receivers} are the names a route may send to. */
    public static Result compile(RouteSpec spec, Set<String> receivers) {
        List<FieldProblem> problems = new ArrayList<>();
        if (spec == null) {
            return new Result(null, List.of(new FieldProblem("route", "a root route is required")));
        }
        if (!spec.matchers().isEmpty()) {
            problems.add(new FieldProblem("matchers", "the root route matches every alert; leave matchers out"));
        }
        if (spec.receiver() == null) {
            problems.add(new FieldProblem("receiver", "the root route needs a receiver (children inherit it)"));
        }
        Settings defaults = new Settings(
                spec.receiver(), List.of(), DEFAULT_GROUP_WAIT, DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL);
        int[] count = {0};
        Node root = node(spec, "", "{}", defaults, receivers, 0, count, problems);
        return problems.isEmpty() ? new Result(new RouteTree(root), List.of()) : new Result(null, problems);
    }

    /** The nodes that handle an alert with these labels, in tree order; never empty. */
    public List<Node> match(Map<String, String> labels) {
        List<Node> out = new ArrayList<>();
        descend(root, labels, out);
        if (out.isEmpty()) {
            out.add(root);
        }
        return out;
    }

    /** The group an alert falls in under a node, Alertmanager's group key: {@code <node id>:{a="1", b="2"}}. */
    public static String groupKey(Node node, Map<String, String> groupLabels) {
        return node.id() + ":" + labelString(groupLabels);
    }

    static String labelString(Map<String, String> labels) {
        return new TreeMap<>(labels)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + quote(e.getValue()))
                        .collect(Collectors.joining(", ", "{", "}"));
    }

    private static boolean descend(Node node, Map<String, String> labels, List<Node> out) {
        if (!LabelMatcher.all(node.matchers(), labels)) {
            return false;
        }
        boolean childMatched = false;
        for (Node child : node.children()) {
            if (descend(child, labels, out)) {
                childMatched = true;
                if (!child.continueMatching()) {
                    break;
                }
            }
        }
        if (!childMatched) {
            out.add(node);
        }
        return true;
    }

    private static Node node(
            RouteSpec spec,
            String field,
            String id,
            Settings parent,
            Set<String> receivers,
            int depth,
            int[] count,
            List<FieldProblem> problems) {
        String prefix = field.isEmpty() ? "" : field + ".";
        if (++count[0] > MAX_ROUTES) {
            problems.add(new FieldProblem(field.isEmpty() ? "routes" : field, "at most " + MAX_ROUTES + " routes"));
            return new Node(id, List.of(), false, parent, List.of());
        }
        List<LabelMatcher> matchers = RuleCompiler.matchers(spec.matchers(), problems, prefix + "matchers");
        String receiver = spec.receiver() == null ? parent.receiver() : spec.receiver();
        if (spec.receiver() != null && !receivers.contains(spec.receiver())) {
            problems.add(new FieldProblem(prefix + "receiver", "no receiver named '" + spec.receiver() + "'"));
        }
        List<String> groupBy = parent.groupBy();
        if (spec.groupBy() != null) {
            groupBy = spec.groupBy();
            for (int i = 0; i < groupBy.size(); i++) {
                String label = groupBy.get(i);
                boolean all = ALL_LABELS.equals(label);
                if (label == null || !all && !LABEL_NAME.matcher(label).matches()) {
                    problems.add(new FieldProblem(prefix + "groupBy[" + i + "]", "must be a label name or '...'"));
                } else if (all && groupBy.size() > 1) {
                    problems.add(
                            new FieldProblem(prefix + "groupBy", "'...' groups by every label; list nothing else"));
                }
            }
        }
        Duration groupWait = duration(spec.groupWait(), parent.groupWait(), prefix + "groupWait", true, problems);
        Duration groupInterval =
                duration(spec.groupInterval(), parent.groupInterval(), prefix + "groupInterval", false, problems);
        Duration repeatInterval =
                duration(spec.repeatInterval(), parent.repeatInterval(), prefix + "repeatInterval", false, problems);
        Settings settings = new Settings(receiver, groupBy, groupWait, groupInterval, repeatInterval);
        if (depth >= MAX_DEPTH && !spec.routes().isEmpty()) {
            problems.add(new FieldProblem(prefix + "routes", "routes nest at most " + MAX_DEPTH + " deep"));
            return new Node(id, matchers, Boolean.TRUE.equals(spec.continueMatching()), settings, List.of());
        }
        List<Node> children = new ArrayList<>();
        for (int i = 0; i < spec.routes().size(); i++) {
            RouteSpec child = spec.routes().get(i);
            String childField = prefix + "routes[" + i + "]";
            if (child == null) {
                problems.add(new FieldProblem(childField, "must be a route"));
                continue;
            }
            // As Alertmanager's route ID: the path of matchers, and the index among siblings for uniqueness.
            String childId = id + "/" + matcherString(child) + "/" + i;
            children.add(node(child, childField, childId, settings, receivers, depth + 1, count, problems));
        }
        return new Node(id, matchers, Boolean.TRUE.equals(spec.continueMatching()), settings, children);
    }

    private static String matcherString(RouteSpec spec) {
        return spec.matchers().stream()
                .map(m -> (m == null ? "?" : m.label() + (m.op() == null ? "=" : m.op()) + quote(m.value())))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static Duration duration(
            String text, Duration inherited, String field, boolean zeroAllowed, List<FieldProblem> problems) {
        if (text == null) {
            return inherited;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                problems.add(new FieldProblem(field, zeroAllowed ? "must not be negative" : "must be positive"));
                return inherited;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field, e.getMessage()));
            return inherited;
        }
    }

    private static String quote(String value) {
        return "\"" + (value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"")) + "\"";
    }
}
