package io.meridian.cli.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.meridian.cli.CliException;
import io.meridian.cli.auth.AccessTokens;
import io.meridian.cli.config.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Calls one service's REST API with the context's bearer token, and turns an RFC 9457 problem answer into an error
 * that says what went wrong, on which field, and what to do.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Context context;
    private final AccessTokens tokens;
    private final HttpClient http;

    public ApiClient(Context context, AccessTokens tokens) {
        this.context = context;
        this.tokens = tokens;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** GET {@code path} (with the query parameters that are not null) of a service; the answer's JSON. */
    public JsonNode get(String service, String path, Map<String, String> query) {
        return send(service, "GET", path, query, (Payload) null);
    }

    /** POST a JSON body; the answer's JSON, or a JSON null when the service answered without a body. */
    public JsonNode post(String service, String path, JsonNode body) {
        return send(service, "POST", path, Map.of(), body);
    }

    /** PUT a JSON body: the whole object replaced. */
    public JsonNode put(String service, String path, JsonNode body) {
        return send(service, "PUT", path, Map.of(), body);
    }

    /** PATCH with the fields to change (merge-patch semantics, sent as JSON). */
    public JsonNode patch(String service, String path, JsonNode body) {
        return send(service, "PATCH", path, Map.of(), body);
    }

    /** DELETE {@code path}; a JSON null for the usual 204. */
    public JsonNode delete(String service, String path) {
        return send(service, "DELETE", path, Map.of(), (Payload) null);
    }

    /** GET an object that may not exist: empty on 404, so that {@code apply} can choose between create and replace. */
    public Optional<JsonNode> find(String service, String path) {
        HttpResponse<String> response = exchange(service, "GET", path, Map.of(), (Payload) null);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(answer(response, service));
    }

    /** One call: a non-2xx answer becomes the problem's message, an empty 2xx body a JSON null. */
    public JsonNode send(String service, String method, String path, Map<String, String> query, JsonNode body) {
        return send(service, method, path, query, body == null ? null : Payload.json(body));
    }

    /** The same with a body as written (placement takes a workload as multi-document YAML). */
    public JsonNode send(String service, String method, String path, Map<String, String> query, Payload body) {
        return answer(exchange(service, method, path, query, body), service);
    }

    /** A request body: its text and media type. */
    public record Payload(String text, String mediaType) {

        /** Plain JSON even for PATCH: every service consumes it, only inventory also knows merge-patch+json. */
        public static Payload json(JsonNode body) {
            return new Payload(body.toString(), "application/json");
        }
    }

    private HttpResponse<String> exchange(
            String service, String method, String path, Map<String, String> query, Payload body) {
        String base = context.service(service)
                .orElseThrow(() -> new CliException(
                        "the context has no URL for " + service + ": meridian context set NAME --" + service + " URL"));
        String parameters = query.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(base.replaceAll("/+$", "") + path + (parameters.isEmpty() ? "" : "?" + parameters));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + tokens.accessToken())
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", body.mediaType())
                    .method(method, HttpRequest.BodyPublishers.ofString(body.text(), StandardCharsets.UTF_8));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(
                    "cannot reach " + service + " at " + base + " ("
                            + e.getClass().getSimpleName() + "); is it running? (bin/meridian demo status)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
    }

    private static JsonNode answer(HttpResponse<String> response, String service) {
        if (response.statusCode() / 100 != 2) {
            throw problem(response.statusCode(), response.body(), service);
        }
        if (response.body() == null || response.body().isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(service + " answered " + response.statusCode() + " with a body that is not JSON");
        }
    }

    /** {@code <title>: <detail> (field: <name>)} and what to do, from a problem document or a bare status. */
    static CliException problem(int status, String body, String service) {
        JsonNode problem;
        try {
            problem = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException notJson) {
            problem = JSON.createObjectNode();
        }
        StringBuilder message = new StringBuilder(problem.path("title").asText("HTTP " + status));
        String detail = problem.path("detail").asText("");
        if (!detail.isBlank()) {
            message.append(": ").append(detail);
        }
        for (JsonNode error : problem.path("errors")) {
            message.append(" (field: ").append(error.path("field").asText());
            if (!error.path("message").asText("").isBlank()) {
                message.append(": ").append(error.path("message").asText());
            }
            message.append(")");
        }
        switch (status) {
            case 401 -> message.append("\n  the token was not accepted: run meridian login");
            case 403 ->
                message.append("\n  your role cannot do this on ")
                        .append(service)
                        .append(": ask an admin for a grant with fleet-operator or fleet-admin");
            case 404 -> message.append("\n  check the name (list them with the list verb)");
            default -> {}
        }
        return new CliException(message.toString());
    }
}
