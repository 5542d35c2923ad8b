package io.meridian.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each Deployment runs its service on the ports the service's own configuration gives it: the container ports, the
 * probes, the Service, the Prometheus annotations and the NetworkPolicies agree with {@code quarkus.http.port} and
 * {@code quarkus.management.port} as Quarkus resolves them in the pod (the service's application.properties,
 * service-kit's shared defaults, and the environment the Deployment sets), so a probe never knocks on a closed port
 * and metrics are never served where users come in.
 */
class ServicePortsTest {

    private static final Path REPO = Path.of("..", "..");
    private static final Path SERVICE_KIT =
            REPO.resolve("libs/service-kit/src/main/resources/META-INF/microprofile-config.properties");
    private static final String COMPONENT = "app.kubernetes.io/component";
    private static final String MONITORING_NAMESPACE = "meridian.io/monitoring";
    /** Each probe and the SmallRye Health endpoint it asks. */
    private static final Map<String, String> PROBES =
            Map.of("livenessProbe", "live", "readinessProbe", "ready", "startupProbe", "started");

    private static final KustomizeRenderer RENDERER = new KustomizeRenderer();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base", "overlays/dev"})
    void containerPortsAndProbesAreTheOnesTheServiceListensOn(String kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        assertThat(rendered.deployments()).as("deployed services").isNotEmpty();

        Set<Integer> taken = new HashSet<>();
        for (Deployed deployed : rendered.services()) {
            ObjectNode deployment = deployed.deployment();
            String service = deployed.service();
            JsonNode container = deployed.container();
            ServicePorts configured = deployed.configured();
            String where = kustomization + " " + service + " (" + configured + ")";

            assertThat(containerPorts(container))
                    .as(where + ": container ports")
                    .isEqualTo(Map.of("http", configured.http(), "management", configured.management()));
            PROBES.forEach((probe, health) -> {
                JsonNode httpGet = container.path(probe).path("httpGet");
                assertThat(httpGet.isMissingNode()).as(where + ": " + probe).isFalse();
                assertThat(httpGet.path("path").asText())
                        .as(where + ": " + probe + " path")
                        .isEqualTo(configured.managementRoot() + "/health/" + health);
                assertThat(portNumber(container, httpGet.get("port")))
                        .as(where + ": " + probe + " port")
                        .isEqualTo(configured.management());
            });
            // Services run side by side on one machine (bin/meridian demo): no two share a port.
            assertThat(taken.add(configured.http()) && taken.add(configured.management()))
                    .as(where + ": ports of its own")
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base", "overlays/dev"})
    void theServiceAndPrometheusReachTheApiAndTheManagementPort(String kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        for (Deployed deployed : rendered.services()) {
            ObjectNode deployment = deployed.deployment();
            String service = deployed.service();
            JsonNode container = deployed.container();
            ServicePorts configured = deployed.configured();
            String where = kustomization + " " + service;

            JsonNode pod = deployment.at("/spec/template/metadata/annotations");
            assertThat(pod.path("prometheus.io/port").asText())
                    .as(where + ": scraped port")
                    .isEqualTo(Integer.toString(configured.management()));
            assertThat(pod.path("prometheus.io/path").asText()).isEqualTo(configured.managementRoot() + "/metrics");

            ObjectNode k8sService =
                    rendered.object("Service", deployment.at("/metadata/name").asText());
            JsonNode annotations = k8sService.at("/metadata/annotations");
            if (annotations.has("prometheus.io/port")) {
                assertThat(annotations.path("prometheus.io/port").asText())
                        .as(where + ": Service's scraped port")
                        .isEqualTo(Integer.toString(configured.management()));
                assertThat(annotations.path("prometheus.io/path").asText())
                        .isEqualTo(configured.managementRoot() + "/metrics");
            }
            Map<String, Integer> targets = new HashMap<>();
            for (JsonNode port : k8sService.at("/spec/ports")) {
                targets.put(port.path("name").asText(), portNumber(container, port.get("targetPort")));
            }
            assertThat(targets)
                    .as(where + ": Service ports by name -> the container port they reach")
                    .isEqualTo(Map.of("http", configured.http(), "management", configured.management()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base", "overlays/dev"})
    void onlyPrometheusMayReachTheManagementPortAndTheApiPortIsOpenToTheIngress(String kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        for (Deployed deployed : rendered.services()) {
            ObjectNode deployment = deployed.deployment();
            String service = deployed.service();
            JsonNode container = deployed.container();
            ServicePorts configured = deployed.configured();
            String where = kustomization + " " + service;

            boolean scraped = false;
            boolean reachable = false;
            for (JsonNode rule : rendered.ingressRulesFor(service)) {
                Set<Integer> ports = new HashSet<>();
                rule.path("ports").forEach(p -> ports.add(portNumber(container, p.get("port"))));
                // A rule without ports opens every port.
                boolean management = ports.isEmpty() || ports.contains(configured.management());
                if (management) {
                    assertThat(rule.path("from"))
                            .as(where + ": who reaches the management port (" + rule + ")")
                            .isNotEmpty()
                            .allSatisfy(peer -> {
                                assertThat(peer.at("/namespaceSelector/matchLabels")
                                                .path(MONITORING_NAMESPACE)
                                                .asText())
                                        .isEqualTo("true");
                                assertThat(peer.has("podSelector") || peer.has("ipBlock"))
                                        .isFalse();
                            });
                    scraped = true;
                }
                if (ports.contains(configured.http())) {
                    reachable |= StreamSupport.stream(rule.path("from").spliterator(), false)
                            .anyMatch(peer ->
                                    peer.at("/namespaceSelector/matchLabels").has("meridian.io/ingress"));
                }
            }
            assertThat(scraped)
                    .as(where + ": Prometheus reaches the management port")
                    .isTrue();
            assertThat(reachable)
                    .as(where + ": the ingress controller reaches the API port")
                    .isTrue();
        }
    }

    // -- the rendered manifests -------------------------------------------------------------------------

    /** One rendering of a kustomization, with the lookups the checks need. */
    /** One deployed service: its Deployment, first container and the ports its configuration resolves to. */
    private record Deployed(ObjectNode deployment, String service, JsonNode container, ServicePorts configured) {}

    private record Rendered(List<ObjectNode> objects) {

        /** Every Deployment with the service it runs and the ports that service listens on there. */
        List<Deployed> services() {
            return deployments().stream()
                    .map(deployment -> {
                        String service = deployment
                                .at("/metadata/labels")
                                .path(COMPONENT)
                                .asText();
                        JsonNode container = deployment.at("/spec/template/spec/containers/0");
                        return new Deployed(
                                deployment, service, container, ServicePorts.resolve(service, environment(container)));
                    })
                    .toList();
        }

        static Rendered of(String kustomization) {
            return new Rendered(RENDERER.render(Path.of(kustomization)));
        }

        /** The Deployments of Meridian's services: those with a service directory of their component's name. */
        List<ObjectNode> deployments() {
            List<ObjectNode> deployments = objects.stream()
                    .filter(o -> o.path("kind").asText().equals("Deployment"))
                    .toList();
            assertThat(deployments)
                    .allSatisfy(d -> assertThat(REPO.resolve("services")
                                    .resolve(d.at("/metadata/labels")
                                            .path(COMPONENT)
                                            .asText()))
                            .as(d.at("/metadata/name").asText() + " runs a service of services/")
                            .isDirectory());
            return deployments;
        }

        ObjectNode object(String kind, String name) {
            return objects.stream()
                    .filter(o -> o.path("kind").asText().equals(kind))
                    .filter(o -> o.at("/metadata/name").asText().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
        }

        /** The environment a container starts with: its ConfigMaps' data, then its own values, which win. */
        Map<String, String> environment(JsonNode container) {
            Map<String, String> environment = new HashMap<>();
            for (JsonNode source : container.path("envFrom")) {
                String configMap = source.at("/configMapRef/name").asText(null);
                if (configMap != null) {
                    object("ConfigMap", configMap)
                            .path("data")
                            .properties()
                            .forEach(e ->
                                    environment.put(e.getKey(), e.getValue().asText()));
                }
            }
            for (JsonNode variable : container.path("env")) {
                if (variable.has("value")) {
                    environment.put(
                            variable.path("name").asText(),
                            variable.path("value").asText());
                }
            }
            return environment;
        }

        /** The ingress rules of every NetworkPolicy that selects the service's pods. */
        List<JsonNode> ingressRulesFor(String service) {
            List<JsonNode> rules = new ArrayList<>();
            for (ObjectNode policy : objects) {
                if (policy.path("kind").asText().equals("NetworkPolicy")
                        && selects(policy.at("/spec/podSelector"), service)) {
                    policy.at("/spec/ingress").forEach(rules::add);
                }
            }
            return rules;
        }

        private static boolean selects(JsonNode selector, String service) {
            if (selector.isEmpty()) {
                return true;
            }
            if (selector.path("matchLabels").has(COMPONENT)) {
                return selector.path("matchLabels").path(COMPONENT).asText().equals(service);
            }
            for (JsonNode expression : selector.path("matchExpressions")) {
                if (expression.path("key").asText().equals(COMPONENT)
                        && expression.path("operator").asText().equals("In")) {
                    return StreamSupport.stream(expression.path("values").spliterator(), false)
                            .anyMatch(v -> v.asText().equals(service));
                }
            }
            return false;
        }
    }

    private static Map<String, Integer> containerPorts(JsonNode container) {
        Map<String, Integer> ports = new HashMap<>();
        container
                .path("ports")
                .forEach(p -> ports.put(
                        p.path("name").asText(), p.path("containerPort").asInt()));
        return ports;
    }

    /** A port as a probe, Service or NetworkPolicy gives it: a number, or the name of one of the container's ports. */
    private static int portNumber(JsonNode container, JsonNode port) {
        assertThat(port).as("a port").isNotNull();
        if (port.isInt()) {
            return port.asInt();
        }
        Integer number = containerPorts(container).get(port.asText());
        assertThat(number).as("container port named " + port.asText()).isNotNull();
        return number;
    }

    // -- the service's configuration ----------------------------------------------------------------------

    /**
     * The ports a service listens on in its pod, resolved as Quarkus does in the prod profile: an environment
     * variable, then the service's application.properties, then service-kit's shared defaults, then Quarkus' own
     * defaults; a {@code %prod.} key before a plain one.
     */
    private record ServicePorts(int http, int management, String managementRoot) {

        static ServicePorts resolve(String service, Map<String, String> environment) {
            Properties application = load(
                    REPO.resolve("services").resolve(service).resolve("src/main/resources/application.properties"));
            Properties kit = load(SERVICE_KIT);
            List<Properties> sources = List.of(application, kit);
            assertThat(value("quarkus.management.enabled", environment, sources))
                    .as(service + ": the management interface is on")
                    .contains("true");
            return new ServicePorts(
                    Integer.parseInt(
                            value("quarkus.http.port", environment, sources).orElse("8080")),
                    Integer.parseInt(value("quarkus.management.port", environment, sources)
                            .orElse("9000")),
                    value("quarkus.management.root-path", environment, sources).orElse("/q"));
        }

        private static Optional<String> value(String key, Map<String, String> environment, List<Properties> sources) {
            String variable = key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            if (environment.containsKey(variable)) {
                return Optional.of(environment.get(variable));
            }
            for (String candidate : List.of("%prod." + key, key)) {
                for (Properties source : sources) {
                    if (source.containsKey(candidate)) {
                        return Optional.of(source.getProperty(candidate).strip());
                    }
                }
            }
            return Optional.empty();
        }

        private static Properties load(Path file) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return properties;
        }
    }
}
