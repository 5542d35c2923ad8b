package io.meridian.placement.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.meridian.contracts.resource.Quantities;
import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.SelectableLabels;
import io.meridian.placement.domain.PlacementDecision.ChosenCluster;
import io.meridian.placement.domain.PlacementDecision.Displacement;
import io.meridian.placement.domain.PlacementDecision.FailoverSuppression;
import io.meridian.placement.domain.PlacementDecision.RejectedCluster;
import io.meridian.placement.domain.PlacementPolicy.ClusterRange;
import io.meridian.placement.domain.PlacementPolicy.SpreadConstraint;
import io.meridian.placement.domain.PlacementPolicy.StaticWeight;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The YAML shape of the scheduler's golden files: {@code in.yaml} holds the workload (full manifests, or a
 * {@code deployment} shorthand for one Deployment), the fleet, the previous decision and the time; {@code
 * expected.yaml} holds the decision, in the same shape as {@code previous}.
 */
final class SchedulerYaml {

    static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    /** When a cluster became what it is, unless the case says otherwise: long before any case's {@code now}. */
    static final Instant LONG_AGO = Instant.parse("2026-11-01T00:00:00Z");

    private SchedulerYaml() {}

    static SchedulingRequest request(JsonNode in) {
        Set<String> failbackApproved = new HashSet<>();
        in.path("failbackApproved").forEach(n -> failbackApproved.add(n.asText()));
        return new SchedulingRequest(
                workload(in.path("workload")),
                fleet(in.path("fleet")),
                in.hasNonNull("previous") ? decision(in.path("previous")) : null,
                in.path("failoverApproved").asBoolean(false),
                failbackApproved,
                Instant.parse(in.path("now").asText()),
                in.hasNonNull("previousPolicy") ? policy(in.path("previousPolicy")) : null,
                Set.of(),
                in.hasNonNull("bundle") ? bundleBudget(in.path("bundle")) : null);
    }

    /**
     * {@code bundle: {limit: 786432, workload: 200000, used: {aws-1: 600000}, held: {aws-2: 150000}, rendered: {aws-2:
     * 150000}}}: the room in each cluster's bundle, what the workload holds where it is already, and what it renders
     * there now (with 16 bytes of tolerance per object, two objects).
     */
    private static BundleBudget bundleBudget(JsonNode b) {
        Map<String, BundleBudget.Rendered> rendered = new LinkedHashMap<>();
        longs(b.path("rendered")).forEach((id, bytes) -> rendered.put(id, new BundleBudget.Rendered(bytes, 32)));
        return new BundleBudget(
                b.path("limit").asLong(),
                b.path("workload").asLong(),
                longs(b.path("used")),
                longs(b.path("held")),
                rendered);
    }

    private static Map<String, Long> longs(JsonNode byCluster) {
        Map<String, Long> values = new LinkedHashMap<>();
        byCluster.properties().forEach(e -> values.put(e.getKey(), e.getValue().asLong()));
        return values;
    }

    // ---------------------------------------------------------------- workload

    static Workload workload(JsonNode w) {
        List<Map<String, Object>> manifests = w.has("manifests")
                ? MAPPER.convertValue(w.path("manifests"), new TypeReference<List<Map<String, Object>>>() {})
                : List.of(deployment(w.path("deployment")));
        return new Workload(
                w.path("name").asText("checkout"),
                w.path("namespace").asText("shop"),
                w.path("generation").asLong(1),
                manifests,
                w.has("placement") ? policy(w.path("placement")) : PlacementPolicy.DEFAULT,
                RolloutStrategy.DEFAULT,
                w.has("failover") ? failover(w.path("failover")) : FailoverPolicy.DEFAULT,
                List.of());
    }

    /** One Deployment {@code web} with one container of the given requests. */
    static Map<String, Object> deployment(JsonNode d) {
        Map<String, Object> requests = new LinkedHashMap<>();
        requests.put("cpu", d.path("cpu").asText("500m"));
        requests.put("memory", d.path("memory").asText("1Gi"));
        if (d.has("gpu")) {
            requests.put("nvidia.com/gpu", d.path("gpu").asText());
        }
        return Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", "web"),
                "spec",
                Map.of(
                        "replicas", d.path("replicas").asInt(1),
                        "template",
                                Map.of(
                                        "spec",
                                        Map.of(
                                                "containers",
                                                List.of(Map.of(
                                                        "name",
                                                        "web",
                                                        "image",
                                                        "registry.example/web:1",
                                                        "resources",
                                                        Map.of("requests", requests)))))));
    }

    static PlacementPolicy policy(JsonNode p) {
        List<StaticWeight> weights = new ArrayList<>();
        p.path("weights")
                .forEach(w -> weights.add(new StaticWeight(
                        selector(w.path("clusters")), w.path("weight").asInt())));
        List<SpreadConstraint> spread = new ArrayList<>();
        p.path("spread")
                .forEach(s -> spread.add(new SpreadConstraint(
                        s.path("by").asText(), s.path("min").asInt())));
        JsonNode clusters = p.path("clusters");
        return new PlacementPolicy(
                selector(p.path("clusterSelector")),
                p.path("mode").asText("Duplicated").equals("Divided")
                        ? PlacementMode.DIVIDED
                        : PlacementMode.DUPLICATED,
                p.path("replicas").asInt(0),
                p.path("divideBy").asText("Weights").equals("Capacity") ? DivideBy.CAPACITY : DivideBy.WEIGHTS,
                weights,
                clusters.isMissingNode()
                        ? ClusterRange.ANY
                        : new ClusterRange(
                                clusters.path("min").asInt(1),
                                clusters.path("max").asInt(Integer.MAX_VALUE)),
                spread,
                preference(p.path("prefer")));
    }

    private static ClusterSelector selector(JsonNode s) {
        if (s.isMissingNode() || s.isNull()) {
            return ClusterSelector.ALL;
        }
        if (s.isTextual()) {
            return ClusterSelector.parse(s.asText());
        }
        return ClusterSelector.parse(s.path("selector").asText(""))
                .withClouds(strings(s.path("clouds")))
                .withRegions(strings(s.path("regions")))
                .withEnvironments(strings(s.path("environments")));
    }

    private static Preference preference(JsonNode p) {
        if (p.isMissingNode() || p.asText().equals("cheapest")) {
            return new Preference.Cheapest();
        }
        if (p.asText().equals("mostFreeCapacity")) {
            return new Preference.MostFreeCapacity();
        }
        return new Preference.LabelOrder(p.path("label").asText(), strings(p.path("order")));
    }

    private static FailoverPolicy failover(JsonNode f) {
        FailoverPolicy d = FailoverPolicy.DEFAULT;
        return new FailoverPolicy(
                f.has("after") ? duration(f.path("after")) : d.after(),
                f.has("unhealthyAfter") ? duration(f.path("unhealthyAfter")) : d.unhealthyAfter(),
                f.path("maxFraction").asDouble(d.maxFraction()),
                f.path("failback").asText("Automatic").equals("Manual")
                        ? FailoverPolicy.Failback.MANUAL
                        : FailoverPolicy.Failback.AUTOMATIC,
                f.has("stableFor") ? duration(f.path("stableFor")) : d.stableFor());
    }

    private static Duration duration(JsonNode d) {
        return Duration.parse("PT" + d.asText().toUpperCase(Locale.ROOT));
    }

    // ---------------------------------------------------------------- fleet

    static FleetView fleet(JsonNode fleet) {
        List<ClusterFacts> clusters = new ArrayList<>();
        for (JsonNode c : fleet) {
            String id = c.path("id").asText();
            Map<String, String> labels = MAPPER.convertValue(c.path("labels"), new TypeReference<>() {});
            clusters.add(new ClusterFacts(
                    id,
                    c.path("name").asText(id),
                    SelectableLabels.of(
                            id,
                            c.path("cloud").asText(null),
                            c.path("region").asText(null),
                            c.path("environment").asText("prod"),
                            labels),
                    health(c.path("health").asText("Ready")),
                    c.has("since") ? Instant.parse(c.path("since").asText()) : LONG_AGO,
                    c.has("allocatable") ? resources(c.path("allocatable")) : new Resources(16_000, 64L << 30, 0),
                    c.has("requested") ? resources(c.path("requested")) : Resources.NONE,
                    c.has("rates") ? rates(c.path("rates")) : null));
        }
        return FleetView.of(clusters);
    }

    private static ClusterHealth health(String text) {
        return switch (text) {
            case "Ready" -> ClusterHealth.READY;
            case "NotReady" -> ClusterHealth.NOT_READY;
            case "Unreachable" -> ClusterHealth.UNREACHABLE;
            default -> throw new IllegalArgumentException("health must be Ready, NotReady or Unreachable: " + text);
        };
    }

    private static Resources resources(JsonNode r) {
        return new Resources(
                Quantities.millis(r.path("cpu").asText("0")).orElseThrow(),
                Quantities.units(r.path("memory").asText("0")).orElseThrow(),
                r.path("gpu").asLong(0));
    }

    private static ClusterRates rates(JsonNode r) {
        return new ClusterRates(
                r.path("currency").asText("USD"),
                r.path("cpuCoreHour").asDouble(),
                r.path("memoryGibHour").asDouble(),
                r.path("gpuHour").asDouble(),
                r.path("spotShare").asDouble());
    }

    // ---------------------------------------------------------------- decisions

    static PlacementDecision decision(JsonNode d) {
        List<ChosenCluster> chosen = new ArrayList<>();
        d.path("chosen")
                .forEach(c -> chosen.add(new ChosenCluster(
                        c.path("cluster").asText(),
                        c.path("cluster").asText(),
                        c.path("replicas").asInt(),
                        c.path("score").asDouble(),
                        c.path("monthlyCost").asDouble())));
        List<RejectedCluster> rejected = new ArrayList<>();
        d.path("rejected")
                .forEach(r -> rejected.add(new RejectedCluster(
                        r.path("cluster").asText(),
                        r.path("cluster").asText(),
                        Rejection.valueOf(r.path("reason").asText()),
                        r.path("detail").asText())));
        List<Displacement> displaced = new ArrayList<>();
        d.path("displaced")
                .forEach(x -> displaced.add(new Displacement(
                        x.path("cluster").asText(),
                        instant(x.path("lostAt")),
                        instant(x.path("readyAgainSince")),
                        strings(x.path("replacedBy")))));
        JsonNode s = d.path("suppressed");
        FailoverSuppression suppressed = s.isMissingNode() || s.isNull()
                ? null
                : new FailoverSuppression(
                        strings(s.path("clusters")), s.path("reason").asText(), instant(s.path("since")));
        return new PlacementDecision(
                "checkout",
                d.path("generation").asLong(1),
                chosen,
                rejected,
                strings(d.path("unmetSpread")),
                suppressed,
                displaced,
                d.path("monthlyCost").asDouble(),
                instant(d.path("decidedAt")),
                instant(d.path("nextReviewAt")));
    }

    /** The decision in the shape of {@code expected.yaml}: every field, in a fixed order. */
    static Map<String, Object> write(PlacementDecision d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generation", d.generation());
        out.put(
                "chosen",
                d.chosen().stream()
                        .map(c -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("cluster", c.clusterId());
                            m.put("replicas", c.replicas());
                            m.put("score", c.score());
                            m.put("monthlyCost", c.monthlyCost());
                            return m;
                        })
                        .toList());
        out.put(
                "rejected",
                d.rejected().stream()
                        .map(r -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("cluster", r.clusterId());
                            m.put("reason", r.reason().name());
                            m.put("detail", r.detail());
                            return m;
                        })
                        .toList());
        out.put("unmetSpread", d.unmetSpread());
        if (d.suppressed() == null) {
            out.put("suppressed", null);
        } else {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("clusters", d.suppressed().unreachableClusters());
            s.put("reason", d.suppressed().reason());
            s.put("since", text(d.suppressed().since()));
            out.put("suppressed", s);
        }
        out.put(
                "displaced",
                d.displaced().stream()
                        .map(x -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("cluster", x.clusterId());
                            m.put("lostAt", text(x.lostAt()));
                            m.put("readyAgainSince", text(x.readyAgainSince()));
                            m.put("replacedBy", x.replacedBy());
                            return m;
                        })
                        .toList());
        out.put("monthlyCost", d.monthlyCost());
        out.put("decidedAt", text(d.decidedAt()));
        out.put("nextReviewAt", text(d.nextReviewAt()));
        return out;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private static Instant instant(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : Instant.parse(n.asText());
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }
}
