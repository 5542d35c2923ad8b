package io.meridian.policy.api;

import io.meridian.contracts.compliance.ComplianceResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds PolicyReports in the shape of the Kubernetes Policy WG API ({@code wgpolicyk8s.io/v1alpha2}). */
final class PolicyReports {

    private PolicyReports() {}

    static Map<String, Object> clusterReport(
            String cluster, List<ComplianceResult> open, Map<String, int[]> tallies, Instant now) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (ComplianceResult r : open) {
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("apiVersion", r.object().apiVersion());
            resource.put("kind", r.object().kind());
            if (r.object().namespace() != null) {
                resource.put("namespace", r.object().namespace());
            }
            resource.put("name", r.object().name());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("source", "meridian-policy");
            result.put("policy", r.policy());
            result.put("result", "fail");
            result.put("severity", r.severity().name().toLowerCase(Locale.ROOT));
            result.put("category", String.join(",", r.categories()));
            result.put("message", r.message());
            result.put("scored", true);
            result.put(
                    "timestamp",
                    Map.of(
                            "seconds",
                            r.evaluatedAt().getEpochSecond(),
                            "nanos",
                            r.evaluatedAt().getNano()));
            result.put("resources", List.of(resource));
            result.put(
                    "properties",
                    Map.of(
                            "action", r.action().name().toLowerCase(Locale.ROOT),
                            "policyGeneration", Long.toString(r.policyGeneration())));
            results.add(result);
        }
        int pass = 0;
        int skip = 0;
        for (int[] t : tallies.values()) {
            pass += t[0];
            skip += t[2];
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("pass", pass);
        summary.put("fail", open.size());
        summary.put("warn", 0);
        summary.put("error", 0);
        summary.put("skip", skip);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("apiVersion", "wgpolicyk8s.io/v1alpha2");
        report.put("kind", "ClusterPolicyReport");
        report.put(
                "metadata",
                Map.of(
                        "name", "meridian-policy-" + cluster,
                        "labels", Map.of("meridian.io/cluster", cluster),
                        "annotations", Map.of("meridian.io/generated-at", now.toString())));
        report.put("scope", Map.of("kind", "Cluster", "name", cluster));
        report.put("summary", summary);
        report.put("results", results);
        return report;
    }
}
