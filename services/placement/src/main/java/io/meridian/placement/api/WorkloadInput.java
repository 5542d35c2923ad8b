package io.meridian.placement.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.InvalidSelectorException;
import io.meridian.contracts.selector.LabelSelector;
import io.meridian.placement.domain.DivideBy;
import io.meridian.placement.domain.FailoverPolicy;
import io.meridian.placement.domain.FieldProblem;
import io.meridian.placement.domain.PlacementMode;
import io.meridian.placement.domain.PlacementPolicy;
import io.meridian.placement.domain.Preference;
import io.meridian.placement.domain.RolloutStrategy;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.domain.WorkloadOverride;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A workload as the API reads and shows it (JSON, or the first YAML document): name, namespace, manifests, and how
 * it is placed, rolled out, failed over and overridden per cluster. Everything but name, namespace and manifests may be
 * left out (the defaults: every Ready cluster, duplicated, cheapest first; canary 1, 25% per wave, 30s pause, 5m health
 * timeout; failover after 30s, failback automatic after 5m).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A workload: Kubernetes manifests, where they run, how a new generation rolls out")
public record WorkloadInput(
        @Schema(description = "DNS label; the value of label meridian.io/workload on everything placed")
        String name,

        @Schema(description = "The namespace every manifest goes to (metadata.namespace may be left out)")
        String namespace,

        @Schema(
                description = "Deployment, StatefulSet, Service, ConfigMap, ServiceAccount, HorizontalPodAutoscaler,"
                        + " PodDisruptionBudget, NetworkPolicy, Ingress")
        List<Map<String, Object>> manifests,

        PlacementInput placement,
        RolloutInput rollout,
        FailoverInput failover,
        List<OverrideInput> overrides) {

    static final ObjectMapper JSON = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .build();

    /** This input as a workload at generation 0 (the store assigns it), or with a problem noted for each bad field. */
    Workload toWorkload(List<FieldProblem> problems) {
        List<WorkloadOverride> overrideList = new ArrayList<>();
        List<OverrideInput> given = overrides == null ? List.of() : overrides;
        for (int i = 0; i < given.size(); i++) {
            OverrideInput o = given.get(i);
            if (o == null) {
                problems.add(new FieldProblem("overrides[" + i + "]", "must be an override, not null"));
                continue;
            }
            overrideList.add(o.toOverride("overrides[" + i + "]", problems));
        }
        List<Map<String, Object>> manifestList = new ArrayList<>();
        List<Map<String, Object>> givenManifests = manifests == null ? List.of() : manifests;
        for (int i = 0; i < givenManifests.size(); i++) {
            if (givenManifests.get(i) == null) {
                problems.add(new FieldProblem("manifests[" + i + "]", "must be a Kubernetes object, not null"));
            } else {
                manifestList.add(givenManifests.get(i));
            }
        }
        return new Workload(
                name == null ? "" : name,
                namespace == null ? "" : namespace,
                0,
                manifestList,
                placement == null ? PlacementPolicy.DEFAULT : placement.toPolicy(problems),
                rollout == null ? RolloutStrategy.DEFAULT : rollout.toStrategy(problems),
                failover == null ? FailoverPolicy.DEFAULT : failover.toPolicy(problems),
                overrideList);
    }

    /** A stored workload in the shape the API reads, so that what GET answers can be PUT back. */
    static WorkloadInput of(Workload w) {
        return new WorkloadInput(
                w.name(),
                w.namespace(),
                w.manifests(),
                PlacementInput.of(w.placement()),
                RolloutInput.of(w.rollout()),
                FailoverInput.of(w.failover()),
                w.overrides().isEmpty()
                        ? null
                        : w.overrides().stream().map(OverrideInput::of).toList());
    }

    /** This input with {@code manifests} instead of its own (YAML documents appended after the first). */
    WorkloadInput withManifests(List<Map<String, Object>> all) {
        return new WorkloadInput(name, namespace, all, placement, rollout, failover, overrides);
    }

    // ------------------------------------------------------------------ parts

    /**
     * The fleet's one cluster selector in the shape it has everywhere: a Kubernetes label selector (structured, or
     * the {@code kubectl -l} string form) over the cluster's labels and the well-known {@code meridian.io/*} ones, plus
     * clouds, environments and regions (each: any of; empty: any).
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @Schema(
            description = "Which clusters: label selector (matchLabels/matchExpressions, or 'team=a,tier in (web)'),"
                    + " clouds (aws, azure, gcp, onprem, other), environments, regions; all must hold;"
                    + " empty selects all")
    public record ClusterSelectorInput(
            @Schema(
                    oneOf = {String.class, LabelSelector.class},
                    description = "Kubernetes label selector, or its kubectl -l string form")
            Object labelSelector,

            List<String> clouds,
            List<String> environments,
            List<String> regions) {

        static ClusterSelector toSelector(ClusterSelectorInput input, String path, List<FieldProblem> problems) {
            return input == null ? ClusterSelector.ALL : input.toSelector(path, problems);
        }

        ClusterSelector toSelector(String path, List<FieldProblem> problems) {
            LabelSelector labels = LabelSelector.EVERYTHING;
            String at = path + ".labelSelector";
            switch (labelSelector) {
                case null -> {}
                case String text -> {
                    try {
                        labels = LabelSelector.parse(text);
                    } catch (InvalidSelectorException e) {
                        problems.add(new FieldProblem(at, e.getMessage()));
                    }
                }
                case Map<?, ?> structured -> {
                    try {
                        labels = JSON.convertValue(structured, LabelSelector.class);
                    } catch (IllegalArgumentException e) {
                        problems.add(new FieldProblem(
                                at,
                                "must be a label selector: matchLabels (a map of strings) and matchExpressions"
                                        + " (key, operator, values)"));
                    }
                }
                default ->
                    problems.add(new FieldProblem(
                            at,
                            "must be a label selector (matchLabels, matchExpressions) or its kubectl -l string form"));
            }
            return new ClusterSelector(
                    labels,
                    strings(clouds, path + ".clouds", problems),
                    strings(environments, path + ".environments", problems),
                    strings(regions, path + ".regions", problems));
        }

        private static java.util.Set<String> strings(List<String> values, String path, List<FieldProblem> problems) {
            java.util.Set<String> set = new TreeSet<>();
            if (values == null) {
                return set;
            }
            for (String value : values) {
                if (value == null || value.isBlank()) {
                    problems.add(new FieldProblem(path, "must not hold empty values"));
                } else {
                    set.add(value);
                }
            }
            return set;
        }

        static ClusterSelectorInput of(ClusterSelector s) {
            if (s == null || s.selectsAll()) {
                return null;
            }
            return new ClusterSelectorInput(
                    s.labelSelector().isEmpty() ? null : structured(s.labelSelector()),
                    sorted(s.clouds()),
                    sorted(s.environments()),
                    sorted(s.regions()));
        }

        // The structured form without the "empty" flag the record would add.
        private static Map<String, Object> structured(LabelSelector selector) {
            Map<String, Object> map = new LinkedHashMap<>();
            if (!selector.matchLabels().isEmpty()) {
                map.put("matchLabels", new java.util.TreeMap<>(selector.matchLabels()));
            }
            if (!selector.matchExpressions().isEmpty()) {
                map.put("matchExpressions", selector.matchExpressions());
            }
            return map;
        }

        private static List<String> sorted(java.util.Set<String> values) {
            return values.isEmpty() ? null : values.stream().sorted().toList();
        }
    }

    /** Where the workload runs and how the clusters are chosen. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlacementInput(
            ClusterSelectorInput clusterSelector,

            @Schema(
                    enumeration = {"Duplicated", "Divided"},
                    defaultValue = "Duplicated")
            String mode,

            @Schema(description = "Divided only: the total replica count split over the chosen clusters")
            Integer replicas,

            @Schema(
                    enumeration = {"Weights", "Capacity"},
                    defaultValue = "Weights")
            String divideBy,

            List<WeightInput> weights,
            RangeInput clusters,
            List<SpreadInput> spread,

            @Schema(
                    description = "cheapest, mostFreeCapacity, or {label, order} (clusters whose label value"
                            + " comes first in order first)",
                    defaultValue = "cheapest")
            Object prefer) {

        PlacementPolicy toPolicy(List<FieldProblem> problems) {
            PlacementMode placementMode = enumOf(
                    PlacementMode.class,
                    mode,
                    PlacementMode.DUPLICATED,
                    "placement.mode",
                    "Duplicated or Divided",
                    problems);
            if (placementMode == PlacementMode.DUPLICATED && replicas != null) {
                problems.add(new FieldProblem(
                        "placement.replicas",
                        "applies to mode Divided only: a Duplicated workload runs the replicas of its manifests on"
                                + " every chosen cluster"));
            }
            List<PlacementPolicy.StaticWeight> weightList = new ArrayList<>();
            List<WeightInput> givenWeights = weights == null ? List.of() : weights;
            for (int i = 0; i < givenWeights.size(); i++) {
                String at = "placement.weights[" + i + "]";
                WeightInput w = givenWeights.get(i);
                if (w == null || w.weight() == null) {
                    problems.add(new FieldProblem(at + ".weight", "is required"));
                    continue;
                }
                weightList.add(new PlacementPolicy.StaticWeight(
                        ClusterSelectorInput.toSelector(w.clusters(), at + ".clusters", problems), w.weight()));
            }
            List<PlacementPolicy.SpreadConstraint> spreadList = new ArrayList<>();
            List<SpreadInput> givenSpread = spread == null ? List.of() : spread;
            for (int i = 0; i < givenSpread.size(); i++) {
                SpreadInput s = givenSpread.get(i);
                if (s == null || s.min() == null) {
                    problems.add(new FieldProblem("placement.spread[" + i + "].min", "is required"));
                    continue;
                }
                spreadList.add(new PlacementPolicy.SpreadConstraint(s.by(), s.min()));
            }
            PlacementPolicy.ClusterRange range = clusters == null
                    ? PlacementPolicy.ClusterRange.ANY
                    : new PlacementPolicy.ClusterRange(
                            clusters.min() == null ? 1 : clusters.min(),
                            clusters.max() == null ? Integer.MAX_VALUE : clusters.max());
            return new PlacementPolicy(
                    ClusterSelectorInput.toSelector(clusterSelector, "placement.clusterSelector", problems),
                    placementMode,
                    replicas == null ? 0 : replicas,
                    enumOf(
                            DivideBy.class,
                            divideBy,
                            DivideBy.WEIGHTS,
                            "placement.divideBy",
                            "Weights or Capacity",
                            problems),
                    weightList,
                    range,
                    spreadList,
                    preference(problems));
        }

        private Preference preference(List<FieldProblem> problems) {
            return switch (prefer) {
                case null -> new Preference.Cheapest();
                case String s when s.equalsIgnoreCase("cheapest") -> new Preference.Cheapest();
                case String s when s.equalsIgnoreCase("mostFreeCapacity") -> new Preference.MostFreeCapacity();
                case Map<?, ?> m
                when m.get("label") instanceof String label
                        && m.get("order") instanceof List<?> order
                        && order.stream().allMatch(String.class::isInstance) ->
                    new Preference.LabelOrder(
                            label, order.stream().map(String.class::cast).toList());
                default -> {
                    problems.add(new FieldProblem(
                            "placement.prefer",
                            "must be cheapest, mostFreeCapacity, or {label: <cluster label key>, order: [values,"
                                    + " preferred first]}"));
                    yield new Preference.Cheapest();
                }
            };
        }

        static PlacementInput of(PlacementPolicy p) {
            boolean divided = p.mode() == PlacementMode.DIVIDED;
            return new PlacementInput(
                    ClusterSelectorInput.of(p.clusterSelector()),
                    wire(p.mode()),
                    divided ? p.replicas() : null,
                    divided ? wire(p.divideBy()) : null,
                    p.weights().isEmpty()
                            ? null
                            : p.weights().stream()
                                    .map(w -> new WeightInput(ClusterSelectorInput.of(w.clusters()), w.weight()))
                                    .toList(),
                    p.clusters().equals(PlacementPolicy.ClusterRange.ANY)
                            ? null
                            : new RangeInput(
                                    p.clusters().min(),
                                    p.clusters().max() == Integer.MAX_VALUE
                                            ? null
                                            : p.clusters().max()),
                    p.spread().isEmpty()
                            ? null
                            : p.spread().stream()
                                    .map(s -> new SpreadInput(s.by(), s.min()))
                                    .toList(),
                    switch (p.prefer()) {
                        case Preference.Cheapest c -> "cheapest";
                        case Preference.MostFreeCapacity m -> "mostFreeCapacity";
                        case Preference.LabelOrder l -> {
                            Map<String, Object> order = new LinkedHashMap<>();
                            order.put("label", l.label());
                            order.put("order", l.order());
                            yield order;
                        }
                    });
        }
    }

    /** A weight for the clusters a selector picks ({@code Divided} by {@code Weights}; unpicked clusters weigh 1). */
    public record WeightInput(ClusterSelectorInput clusters, Integer weight) {}

    /** At least {@code min} (default 1) and at most {@code max} (default: no limit) clusters. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RangeInput(Integer min, Integer max) {}

    /** The chosen clusters cover at least {@code min} values of {@code by}: cloud, region, environment or a label. */
    public record SpreadInput(String by, Integer min) {}

    /** How a new generation reaches the clusters. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RolloutInput(
            @Schema(description = "Clusters in the first wave; 0: no canary", defaultValue = "1")
            Integer canary,

            @Schema(description = "Clusters per later wave: a count, or a percentage like 25%", defaultValue = "25%")
            String maxInFlight,

            @Schema(description = "Between waves: 30s, 5m or ISO-8601", defaultValue = "30s")
            String pause,

            @Schema(description = "How long a cluster may take to be available", defaultValue = "5m")
            String healthTimeout) {

        RolloutStrategy toStrategy(List<FieldProblem> problems) {
            RolloutStrategy d = RolloutStrategy.DEFAULT;
            return new RolloutStrategy(
                    canary == null ? d.canary() : canary,
                    maxInFlight == null ? d.maxInFlight() : inFlight(problems),
                    duration(pause, d.pause(), "rollout.pause", problems),
                    duration(healthTimeout, d.healthTimeout(), "rollout.healthTimeout", problems));
        }

        private RolloutStrategy.MaxInFlight inFlight(List<FieldProblem> problems) {
            String text = maxInFlight.strip();
            boolean percent = text.endsWith("%");
            String digits = percent ? text.substring(0, text.length() - 1).strip() : text;
            if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
                problems.add(new FieldProblem(
                        "rollout.maxInFlight", "must be a cluster count like 2 or a percentage like 25%"));
                return RolloutStrategy.DEFAULT.maxInFlight();
            }
            return new RolloutStrategy.MaxInFlight(Integer.parseInt(digits), percent);
        }

        static RolloutInput of(RolloutStrategy r) {
            if (r.equals(RolloutStrategy.DEFAULT)) {
                return null;
            }
            RolloutStrategy.MaxInFlight m = r.maxInFlight();
            return new RolloutInput(
                    r.canary(),
                    m == null ? null : m.value() + (m.percent() ? "%" : ""),
                    DurationText.format(r.pause()),
                    DurationText.format(r.healthTimeout()));
        }
    }

    /** When the workload's share moves away from a cluster, and back. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FailoverInput(
            @Schema(description = "A cluster Unreachable this long loses its share", defaultValue = "30s")
            String after,

            @Schema(description = "The workload unavailable on a cluster this long moves", defaultValue = "5m")
            String unhealthyAfter,

            @Schema(
                    description = "More of the workload's clusters vanishing at once waits for an operator",
                    defaultValue = "0.3333")
            Double maxFraction,

            @Schema(
                    enumeration = {"Automatic", "Manual"},
                    defaultValue = "Automatic")
            String failback,

            @Schema(description = "A returned cluster is stable this long before failback", defaultValue = "5m")
            String stableFor) {

        FailoverPolicy toPolicy(List<FieldProblem> problems) {
            FailoverPolicy d = FailoverPolicy.DEFAULT;
            return new FailoverPolicy(
                    duration(after, d.after(), "failover.after", problems),
                    duration(unhealthyAfter, d.unhealthyAfter(), "failover.unhealthyAfter", problems),
                    maxFraction == null ? d.maxFraction() : maxFraction,
                    enumOf(
                            FailoverPolicy.Failback.class,
                            failback,
                            d.failback(),
                            "failover.failback",
                            "Automatic or Manual",
                            problems),
                    duration(stableFor, d.stableFor(), "failover.stableFor", problems));
        }

        static FailoverInput of(FailoverPolicy f) {
            if (f.equals(FailoverPolicy.DEFAULT)) {
                return null;
            }
            return new FailoverInput(
                    DurationText.format(f.after()),
                    DurationText.format(f.unhealthyAfter()),
                    f.maxFraction(),
                    wire(f.failback()),
                    DurationText.format(f.stableFor()));
        }
    }

    /**
     * What differs on the clusters a selector picks: a JSON merge patch (RFC 7386) on the manifest named {@code
     * Kind/name}, the image of every container and init container of every Deployment and StatefulSet (e.g. the
     * cloud's registry mirror), and their replica count.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OverrideInput(
            ClusterSelectorInput clusters,

            @Schema(description = "Kind/name of the manifest mergePatch applies to, e.g. Deployment/web")
            String manifest,

            @Schema(description = "JSON merge patch (RFC 7386): null deletes a field")
            Map<String, Object> mergePatch,

            String image,
            Integer replicas) {

        WorkloadOverride toOverride(String path, List<FieldProblem> problems) {
            return new WorkloadOverride(
                    ClusterSelectorInput.toSelector(clusters, path + ".clusters", problems),
                    manifest,
                    mergePatch,
                    image,
                    replicas);
        }

        static OverrideInput of(WorkloadOverride o) {
            return new OverrideInput(
                    ClusterSelectorInput.of(o.clusters()), o.manifest(), o.mergePatch(), o.image(), o.replicas());
        }
    }

    // ------------------------------------------------------------------ scalars

    private static Duration duration(String text, Duration fallback, String field, List<FieldProblem> problems) {
        if (text == null) {
            return fallback;
        }
        Duration parsed = DurationText.parse(text);
        if (parsed == null) {
            problems.add(new FieldProblem(field, "'" + abbreviate(text) + "' " + DurationText.EXPECTED));
            return fallback;
        }
        return parsed;
    }

    /** An enum from its CamelCase wire name (Duplicated, Weights, Automatic), case-insensitive. */
    private static <E extends Enum<E>> E enumOf(
            Class<E> type, String text, E fallback, String field, String expected, List<FieldProblem> problems) {
        if (text == null) {
            return fallback;
        }
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text.strip())) {
                return value;
            }
        }
        problems.add(new FieldProblem(field, "'" + abbreviate(text) + "' must be " + expected));
        return fallback;
    }

    private static String wire(Enum<?> value) {
        String name = value.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
