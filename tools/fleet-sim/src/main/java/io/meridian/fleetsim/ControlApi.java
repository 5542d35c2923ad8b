package io.meridian.fleetsim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The control API (JSON over HTTP) to inject faults and changes, and the per-cluster metrics endpoints, on one port.
 */
final class ControlApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final Fleet fleet;
    private final HttpServer server;
    private final ExecutorService executor;

    private ControlApi(Fleet fleet, HttpServer server, ExecutorService executor) {
        this.fleet = fleet;
        this.server = server;
        this.executor = executor;
    }

    static ControlApi start(Fleet fleet, int port) {
        try {
            HttpServer server =
                    HttpServer.create(new InetSocketAddress(InetAddress.getByName(ApiServer.HOST), port), 64);
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "fleet-sim-control");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            ControlApi api = new ControlApi(fleet, server, executor);
            server.createContext("/", api::handle);
            server.start();
            return api;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the control port " + port + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    String baseUrl() {
        return "http://" + ApiServer.HOST + ":" + port();
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (FleetException e) {
                json(exchange, e.status(), Map.of("error", e.getMessage()));
            } catch (IllegalArgumentException e) {
                json(exchange, 400, Map.of("error", e.getMessage()));
            } catch (ClusterStore.StoreException e) {
                json(exchange, e.status() >= 400 ? e.status() : 500, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                json(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        List<String> path = Arrays.stream(exchange.getRequestURI().getPath().split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
                .toList();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());

        if (path.equals(List.of("healthz"))) {
            json(exchange, 200, Map.of("status", "up"));
            return;
        }
        if (path.equals(List.of("registrations")) && method.equals("GET")) {
            json(exchange, 200, fleet.registrations());
            return;
        }
        if (path.equals(List.of("traffic"))) {
            switch (method) {
                case "GET" ->
                    json(
                            exchange,
                            200,
                            fleet.traffic().all().stream().map(ControlApi::flow).toList());
                case "POST" -> traffic(exchange);
                default -> methodNotAllowed(exchange);
            }
            return;
        }
        if (!path.isEmpty() && path.getFirst().equals("clouds")) {
            cloudOutage(exchange, method, path, query);
            return;
        }
        if (path.isEmpty() || !path.getFirst().equals("clusters")) {
            json(
                    exchange,
                    404,
                    Map.of(
                            "error",
                            "no such endpoint: " + method + " "
                                    + exchange.getRequestURI().getPath()));
            return;
        }
        if (path.size() == 1) {
            switch (method) {
                case "GET" ->
                    json(
                            exchange,
                            200,
                            fleet.clusters().stream().map(ControlApi::summary).toList());
                case "POST" -> addCluster(exchange);
                default -> methodNotAllowed(exchange);
            }
            return;
        }
        SimulatedCluster cluster = fleet.cluster(path.get(1));
        String action = path.size() > 2 ? path.get(2) : "";
        switch (method + " " + action + (path.size() > 3 ? "/*" : "")) {
            case "GET " -> json(exchange, 200, summary(cluster));
            case "GET metrics" -> metrics(exchange, cluster);
            case "GET kubeconfig" -> text(exchange, 200, "application/yaml", cluster.kubeconfig());
            case "POST down" -> down(exchange, cluster, query);
            case "POST up" -> {
                cluster.up();
                json(exchange, 200, summary(cluster));
            }
            case "POST latency" -> latency(exchange, cluster, query);
            case "POST forbidden-kinds" -> forbiddenKinds(exchange, cluster);
            case "POST throttled-kinds" -> throttledKinds(exchange, cluster);
            case "POST drift" -> drift(exchange, cluster);
            case "POST scale" -> scale(exchange, cluster);
            case "POST hpa-scale" -> hpaScale(exchange, cluster);
            case "POST status-churn" -> statusChurn(exchange, cluster, query);
            case "POST expire-watches" -> expireWatches(exchange, cluster, query);
            case "POST rollouts/*" -> rolloutBroken(exchange, cluster, path);
            case "POST spike" -> spike(exchange, cluster, query);
            case "POST pods" -> addPod(exchange, cluster);
            case "DELETE pods/*" -> deletePod(exchange, cluster, path);
            default ->
                json(
                        exchange,
                        404,
                        Map.of(
                                "error",
                                "no such endpoint: " + method + " "
                                        + exchange.getRequestURI().getPath()));
        }
    }

    private void metrics(HttpExchange exchange, SimulatedCluster cluster) throws IOException {
        if (!cluster.isUp()) {
            // An outage takes the whole cluster away, its metrics too.
            text(exchange, 503, "text/plain; charset=utf-8", "cluster " + cluster.name() + " is down\n");
            return;
        }
        ClusterMetrics metrics = cluster.metrics();
        ClusterMetrics.Format format =
                metrics.formatFor(exchange.getRequestHeaders().getFirst("Accept"));
        exchange.getResponseHeaders().set("Vary", "Accept");
        text(exchange, 200, format.contentType(), metrics.render(fleet.elapsedSeconds(), format));
    }

    private void down(HttpExchange exchange, SimulatedCluster cluster, Map<String, String> query) throws IOException {
        Double seconds = outageSeconds(query);
        Map<String, Object> result = summary(cluster);
        takeDown(cluster, seconds);
        if (seconds != null) {
            result.put("backInSeconds", seconds);
        }
        result.put("up", cluster.isUp());
        json(exchange, 200, result);
    }

    /**
     * {@code POST /clouds/{cloud}/down[?seconds=N]} and {@code POST /clouds/{cloud}/up}: a provider outage takes every
     * cluster of the cloud away at once, which is what failover across clouds has to survive.
     */
    private void cloudOutage(HttpExchange exchange, String method, List<String> path, Map<String, String> query)
            throws IOException {
        if (path.size() != 3 || !(path.get(2).equals("down") || path.get(2).equals("up"))) {
            throw FleetException.notFound("no such endpoint: " + method + " /" + String.join("/", path)
                    + " (expected POST /clouds/{cloud}/down[?seconds=N] or POST /clouds/{cloud}/up)");
        }
        if (!method.equals("POST")) {
            methodNotAllowed(exchange);
            return;
        }
        Cloud cloud;
        try {
            cloud = Cloud.fromWire(path.get(1));
        } catch (IllegalArgumentException e) {
            throw FleetException.notFound(e.getMessage());
        }
        List<SimulatedCluster> clusters =
                fleet.clusters().stream().filter(c -> c.cloud() == cloud).toList();
        if (clusters.isEmpty()) {
            throw FleetException.notFound("the fleet has no " + cloud.wireName() + " clusters");
        }
        boolean down = path.get(2).equals("down");
        Double seconds = down ? outageSeconds(query) : null;
        for (SimulatedCluster cluster : clusters) {
            if (down) {
                takeDown(cluster, seconds);
            } else {
                cluster.up();
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cloud", cloud.wireName());
        result.put("clusters", clusters.stream().map(ControlApi::summary).toList());
        if (seconds != null) {
            result.put("backInSeconds", seconds);
        }
        json(exchange, 200, result);
    }

    /** The outage length of {@code ?seconds=N}, or null for "until /up". */
    private static Double outageSeconds(Map<String, String> query) {
        String seconds = query.get("seconds");
        if (seconds == null) {
            return null;
        }
        double s = number(seconds, "seconds");
        if (s <= 0 || s > 86_400) {
            throw FleetException.badRequest("seconds must be > 0 and at most 86400, got " + seconds);
        }
        return s;
    }

    private static void takeDown(SimulatedCluster cluster, Double seconds) {
        if (seconds == null) {
            cluster.down();
        } else {
            cluster.down(Duration.ofMillis((long) (seconds * 1000)));
        }
    }

    private void latency(HttpExchange exchange, SimulatedCluster cluster, Map<String, String> query)
            throws IOException {
        String ms = query.get("ms");
        if (ms == null) {
            throw FleetException.badRequest("query parameter ms is required, e.g. ?ms=250 (0 removes latency)");
        }
        double value = number(ms, "ms");
        if (value < 0 || value > 60_000) {
            throw FleetException.badRequest("ms must be between 0 and 60000, got " + ms);
        }
        cluster.latency(Duration.ofMillis((long) value));
        json(exchange, 200, summary(cluster));
    }

    private void forbiddenKinds(HttpExchange exchange, SimulatedCluster cluster) throws IOException {
        cluster.forbidKinds(kindNames(exchange));
        json(exchange, 200, summary(cluster));
    }

    private void throttledKinds(HttpExchange exchange, SimulatedCluster cluster) throws IOException {
        cluster.throttleWrites(kindNames(exchange));
        json(exchange, 200, summary(cluster));
    }

    /** The body's {@code kinds}, each a kind the simulator knows. */
    private List<String> kindNames(HttpExchange exchange) throws IOException {
        Object kinds = body(exchange).get("kinds");
        if (!(kinds instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw FleetException.badRequest(
                    "kinds must be a list of kind names, e.g. {\"kinds\": [\"ClusterRole\"]} ([] allows all again)");
        }
        List<String> names = list.stream().map(String.class::cast).toList();
        for (String name : names) {
            try {
                ResourceKind.of(name);
            } catch (IllegalArgumentException e) {
                throw FleetException.badRequest(e.getMessage());
            }
        }
        return names;
    }

    private void drift(HttpExchange exchange, SimulatedCluster cluster) throws IOException {
        Map<String, Object> body = body(exchange);
        Object patch = body.get("patch");
        if (patch != null && !(patch instanceof Map)) {
            throw FleetException.badRequest("patch must be a JSON object (a JSON merge patch)");
        }
        @SuppressWarnings("unchecked")
        GenericKubernetesResource result = cluster.changes()
                .drift(
                        string(body, "action", true),
                        string(body, "kind", true),
                        string(body, "namespace", false),
                        string(body, "name", true),
                        (Map<String, Object>) patch);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("cluster", cluster.name());
        response.put("action", body.get("action"));
        if (result != null) {
            response.put("object", JSON.readValue(Serialization.asJson(result), Map.class));
        }
        json(exchange, 200, response);
    }

    private void scale(HttpExchange exchange, SimulatedCluster cluster) throws IOException {
        Map<String, Object> body = body(exchange);
        if (!(body.get("replicas") instanceof Number replicas) || replicas.doubleValue() != replicas.intValue()) {
            throw FleetException.badRequest("replicas must be a whole number");
        }
        json(
                exchange,
                200,
                cluster.changes()
                        .scale(string(body, "namespace", true), string(body, "deployment", true), replicas.intValue()));
    }

    private void hpaScale(HttpExchange exchange, SimulatedCluster cluster) throws IOException {
        Map<String, Object> body = body(exchange);
        if (!(body.get("replicas") instanceof Number replicas) || replicas.doubleValue() != replicas.intValue()) {
            throw FleetException.badRequest("replicas must be a whole number");
        }
        json(
                exchange,
                200,
                cluster.hpaScale(
                        string(body, "namespace", true),
                        body.containsKey("kind") ? string(body, "kind", true) : "Deployment",
                        string(body, "name", true),
                        replicas.intValue()));
    }

    private void statusChurn(HttpExchange exchange, SimulatedCluster cluster, Map<String, String> query)
            throws IOException {
        String seconds = query.get("seconds");
        if (seconds == null) {
            throw FleetException.badRequest("query parameter seconds is required, e.g. ?seconds=5 (0 stops)");
        }
        double s = number(seconds, "seconds");
        if (s < 0 || s > 86_400) {
            throw FleetException.badRequest("seconds must be between 0 and 86400, got " + seconds);
        }
        cluster.statusChurn(Duration.ofMillis((long) (s * 1000)));
        json(exchange, 200, Map.of("cluster", cluster.name(), "statusChurnSeconds", s));
    }

    private void expireWatches(HttpExchange exchange, SimulatedCluster cluster, Map<String, String> query)
            throws IOException {
        double window = number(
                query.getOrDefault("seconds", String.valueOf(WatchExpiry.DEFAULT_WINDOW.toSeconds())), "seconds");
        if (window < 0 || window > 86_400) {
            throw FleetException.badRequest("seconds must be between 0 and 86400, got " + window);
        }
        int ended = cluster.expireWatches(Duration.ofMillis((long) (window * 1000)));
        json(exchange, 200, Map.of("cluster", cluster.name(), "watchesEnded", ended, "windowSeconds", window));
    }

    private void rolloutBroken(HttpExchange exchange, SimulatedCluster cluster, List<String> path) throws IOException {
        if (path.size() != 4 || !path.get(3).equals("broken")) {
            throw FleetException.notFound("no such endpoint: POST " + String.join("/", path));
        }
        Map<String, Object> body = body(exchange);
        Object broken = body.getOrDefault("broken", true);
        if (!(broken instanceof Boolean)) {
            throw FleetException.badRequest("broken must be true or false");
        }
        json(
                exchange,
                200,
                cluster.controllers()
                        .markBroken(
                                string(body, "namespace", true),
                                string(body, "kind", false),
                                string(body, "name", true),
                                (Boolean) broken));
    }

    private void spike(HttpExchange exchange, SimulatedCluster cluster, Map<String, String> query) throws IOException {
        double factor = number(query.getOrDefault("cpu", "3.0"), "cpu");
        double seconds = number(query.getOrDefault("seconds", "60"), "seconds");
        if (factor <= 0 || factor > 100) {
            throw FleetException.badRequest("cpu is a usage multiplier between 0 and 100, got " + factor);
        }
        if (seconds <= 0 || seconds > 86_400) {
            throw FleetException.badRequest("seconds must be > 0 and at most 86400, got " + seconds);
        }
        String namespace = query.get("namespace");
        cluster.metrics().spike(factor, fleet.elapsedSeconds() + seconds, namespace);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cluster", cluster.name());
        result.put("cpuFactor", factor);
        result.put("seconds", seconds);
        result.put("namespace", namespace);
        json(exchange, 200, result);
    }

    private void addPod(HttpExchange exchange, SimulatedCluster cluster) throws IOException {
        Map<String, Object> body = body(exchange);
        String namespace = string(body, "namespace", true);
        String name = string(body, "name", true);
        if (!DNS_LABEL.matcher(name).matches() || name.length() > 63) {
            throw FleetException.badRequest("name must be a DNS label (lower case, digits, '-'), got '" + name + "'");
        }
        String image = string(body, "image", true);
        Object privileged = body.getOrDefault("privileged", false);
        if (!(privileged instanceof Boolean)) {
            throw FleetException.badRequest("privileged must be true or false");
        }
        Pod pod = cluster.changes().addPod(namespace, name, image, (Boolean) privileged);
        json(exchange, 201, JSON.readValue(Serialization.asJson(pod), Map.class));
    }

    private void deletePod(HttpExchange exchange, SimulatedCluster cluster, List<String> path) throws IOException {
        if (path.size() != 5) {
            throw FleetException.badRequest("expected DELETE /clusters/{name}/pods/{namespace}/{pod}");
        }
        if (!cluster.changes().deletePod(path.get(3), path.get(4))) {
            throw FleetException.notFound("no pod " + path.get(3) + "/" + path.get(4) + " in " + cluster.name());
        }
        json(exchange, 200, Map.of("cluster", cluster.name(), "deleted", path.get(3) + "/" + path.get(4)));
    }

    private void addCluster(HttpExchange exchange) throws IOException {
        Map<String, Object> body = body(exchange);
        Cloud cloud = Cloud.fromWire(string(body, "cloud", true));
        String environment = body.containsKey("environment") ? string(body, "environment", true) : "prod";
        if (!DNS_LABEL.matcher(environment).matches() || environment.length() > 32) {
            throw FleetException.badRequest("environment must be a DNS label such as prod, staging or dev");
        }
        String region = string(body, "region", false);
        if (region != null) {
            cloud.region(region);
        }
        SimulatedCluster cluster = fleet.addCluster(cloud, environment, region);
        json(exchange, 201, cluster.registration());
    }

    private void traffic(HttpExchange exchange) throws IOException {
        Map<String, Object> body = body(exchange);
        Endpoint from = Endpoint.parse(string(body, "from", true));
        Endpoint to = Endpoint.parse(string(body, "to", true));
        fleet.cluster(from.cluster());
        fleet.cluster(to.cluster());
        if (from.cluster().equals(to.cluster())) {
            throw FleetException.badRequest("from and to must be in different clusters");
        }
        if (!(body.get("bytesPerSecond") instanceof Number rate) || rate.doubleValue() < 0) {
            throw FleetException.badRequest("bytesPerSecond must be a number >= 0");
        }
        TrafficFlow flow = fleet.traffic().set(from, to, rate.doubleValue(), fleet.elapsedSeconds());
        json(exchange, 200, flow(flow));
    }

    private static Map<String, Object> flow(TrafficFlow flow) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", flow.from().toString());
        m.put("to", flow.to().toString());
        m.put("bytesPerSecond", flow.bytesPerSecond());
        return m;
    }

    private static Map<String, Object> summary(SimulatedCluster cluster) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", cluster.name());
        m.put("displayName", cluster.displayName());
        m.put("cloud", cluster.cloud().wireName());
        m.put("region", cluster.region());
        m.put("environment", cluster.environment());
        m.put("labels", cluster.labels());
        m.put("url", cluster.apiServerUrl());
        m.put("metricsUrl", cluster.metricsUrl());
        m.put("up", cluster.isUp());
        m.put("objects", cluster.objectCount());
        m.put("latencyMs", cluster.latency().toMillis());
        m.put("forbiddenKinds", List.copyOf(cluster.forbiddenKinds()));
        m.put("throttledKinds", List.copyOf(cluster.throttledKinds()));
        return m;
    }

    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                throw FleetException.badRequest("a JSON object body is required");
            }
            Object parsed = JSON.readValue(bytes, Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                throw FleetException.badRequest("the body must be a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) map;
            return body;
        } catch (JsonProcessingException e) {
            throw FleetException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String string(Map<String, Object> body, String field, boolean required) {
        Object value = body.get(field);
        if (value == null) {
            if (required) {
                throw FleetException.badRequest(field + " is required");
            }
            return null;
        }
        if (!(value instanceof String s) || (required && s.isBlank())) {
            throw FleetException.badRequest(field + " must be a non-empty string");
        }
        return s;
    }

    private static double number(String text, String name) {
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw FleetException.badRequest(name + " must be a number, got '" + text + "'");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }

    private static void methodNotAllowed(HttpExchange exchange) throws IOException {
        json(exchange, 405, Map.of("error", "method " + exchange.getRequestMethod() + " not allowed here"));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        text(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void text(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
