package io.meridian.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The two services that connect where a registrant says (inventory to API servers, observability to metrics
 * endpoints) run with an endpoint allow-list in every rendered environment, never with the open default.
 */
class EndpointAllowListsTest {

    private static final Map<String, String> ALLOW_LISTS = Map.of(
            "inventory", "MERIDIAN_INVENTORY_CLUSTER_ENDPOINTS_ALLOWED",
            "observability", "MERIDIAN_OBSERVABILITY_SCRAPE_ALLOWED_ENDPOINTS");

    private static final Pattern CIDR = Pattern.compile("[0-9a-f.:]+(/[0-9]{1,3})?");
    private static final Pattern GLOB = Pattern.compile("[a-z0-9*][a-z0-9.*-]*");

    private static final KustomizeRenderer RENDERER = new KustomizeRenderer();

    @Test
    void inventoryAndObservabilityRunWithTheSameNarrowAllowList() {
        for (Path environment : List.of(Path.of("base"), Path.of("overlays", "dev"))) {
            List<ObjectNode> objects = RENDERER.render(environment);
            List<String> inventory = allowList(objects, "inventory");
            List<String> observability = allowList(objects, "observability");

            assertThat(inventory)
                    .as(environment + ": private VPC ranges and the managed control planes' API server names")
                    .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "*.eks.amazonaws.com", "*.azmk8s.io")
                    .allSatisfy(entry -> assertThat(CIDR.matcher(entry).matches()
                                    || GLOB.matcher(entry).matches())
                            .as(entry + " is a CIDR or a host glob")
                            .isTrue())
                    .doesNotContain("*", "0.0.0.0/0", "::/0")
                    .noneMatch(entry -> entry.startsWith("169.254.") || entry.startsWith("127."));
            assertThat(observability)
                    .as(environment + ": inventory judges metricsUrl too, so both lists agree")
                    .isEqualTo(inventory);
        }
    }

    private static List<String> allowList(List<ObjectNode> objects, String service) {
        JsonNode configMap = objects.stream()
                .filter(o -> "ConfigMap".equals(o.path("kind").asText()))
                .filter(o -> ("meridian-" + service + "-config")
                        .equals(o.at("/metadata/name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap meridian-" + service + "-config"));
        String value = configMap.at("/data/" + ALLOW_LISTS.get(service)).asText("");
        assertThat(value).as(service + " sets " + ALLOW_LISTS.get(service)).isNotBlank();
        return Arrays.stream(value.split(",")).map(String::strip).toList();
    }
}
