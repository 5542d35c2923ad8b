package io.meridian.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meridian.contracts.resource.PolicyRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of the planner: {@code golden/<case>/in.yaml} (one cluster, role templates, grants) gives exactly
 * {@code expected.yaml} (the RBAC objects of that cluster's bundle). Run with {@code -Dgolden.update=true} to rewrite
 * the expected files after a deliberate change, then review the diff.
 */
class RoleBindingPlannerGoldenTest {

    private static final Path ROOT = Path.of("src/test/resources/golden");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final RoleBindingPlanner PLANNER = new RoleBindingPlanner(new SubjectMapping("oidc:", "oidc:"));

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void planMatchesGoldenFile(String name) throws IOException {
        JsonNode in = YAML.readTree(ROOT.resolve(name).resolve("in.yaml").toFile());
        List<Map<String, Object>> planned = PLANNER.plan(cluster(in.path("cluster")), grants(in), templates(in));
        JsonNode actual = YAML.valueToTree(planned);
        Path expectedFile = ROOT.resolve(name).resolve("expected.yaml");
        if (Boolean.getBoolean("golden.update")) {
            YAML.writeValue(expectedFile.toFile(), planned);
        }
        assertThat(expectedFile).as("golden file of case %s", name).exists();
        assertThat(actual).isEqualTo(YAML.readTree(expectedFile.toFile()));
        // Deterministic: planning the grants in reverse order gives the same bundle.
        List<Grant> reversed = new ArrayList<>(grants(in));
        java.util.Collections.reverse(reversed);
        JsonNode again = YAML.valueToTree(PLANNER.plan(cluster(in.path("cluster")), reversed, templates(in)));
        assertThat(again).isEqualTo(actual);
        planned.forEach(object -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
            assertThat(Names.isDnsSubdomain((String) metadata.get("name")))
                    .as("name %s is DNS-1123", metadata.get("name"))
                    .isTrue();
        });
    }

    private static FleetCluster cluster(JsonNode node) {
        return new FleetCluster(
                node.path("id").asText(),
                text(node, "cloud"),
                text(node, "region"),
                text(node, "environment"),
                strings(node.path("labels")));
    }

    /**
     * The grants of a case; {@code approvedDigest: current} is the digest of the role as the case defines it (what an
     * approval today records), any other value an approval of something else.
     */
    private static List<Grant> grants(JsonNode in) {
        Map<String, RoleTemplate> templates = templates(in);
        List<Grant> grants = new ArrayList<>();
        for (JsonNode g : in.path("grants")) {
            JsonNode scope = g.path("scope");
            List<String> namespaces = new ArrayList<>();
            g.path("namespaces").forEach(ns -> namespaces.add(ns.asText()));
            Grant grant = new Grant(
                    g.path("id").asText(),
                    new Subject(
                            Subject.Kind.fromWire(g.path("subject").path("kind").asText())
                                    .orElseThrow(),
                            g.path("subject").path("name").asText()),
                    g.path("role").asText(),
                    new ClusterScope(strings(scope.path("labels")), text(scope, "cloud"), text(scope, "environment")),
                    namespaces,
                    null,
                    "golden",
                    GrantState.valueOf(g.path("state").asText("Active")),
                    g.path("approvalRequired").asBoolean(false),
                    "admin",
                    Instant.EPOCH,
                    text(g, "approvedBy"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
            String digest = text(g, "approvedDigest");
            if ("current".equals(digest)) {
                digest = grant.approvalDigest(templates.get(grant.role()));
            }
            grants.add(new Grant(
                    grant.id(),
                    grant.subject(),
                    grant.role(),
                    grant.scope(),
                    grant.namespaces(),
                    null,
                    grant.reason(),
                    grant.state(),
                    grant.approvalRequired(),
                    grant.createdBy(),
                    grant.createdAt(),
                    grant.approvedBy(),
                    null,
                    null,
                    null,
                    digest,
                    null,
                    null));
        }
        return grants;
    }

    private static Map<String, RoleTemplate> templates(JsonNode in) {
        Map<String, RoleTemplate> templates = new HashMap<>();
        for (JsonNode t : in.path("templates")) {
            List<PolicyRule> rules = new ArrayList<>();
            for (JsonNode r : t.path("rules")) {
                rules.add(YAML.convertValue(r, PolicyRule.class));
            }
            templates.put(
                    t.path("name").asText(), new RoleTemplate(t.path("name").asText(), text(t, "description"), rules));
        }
        return templates;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new HashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
