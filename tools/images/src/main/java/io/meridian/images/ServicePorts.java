package io.meridian.images;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The TCP ports a packaged service listens on when it starts as its image does: HTTP, and the management interface
 * (health, metrics) when the package enables it.
 *
 * @param http {@code quarkus.http.port}
 * @param management {@code quarkus.management.port}, when {@code quarkus.management.enabled} is true
 */
public record ServicePorts(int http, OptionalInt management) {

    // Quarkus' own defaults, for a package that does not set them.
    private static final int DEFAULT_HTTP_PORT = 8080;
    private static final int DEFAULT_MANAGEMENT_PORT = 9000;

    public ServicePorts {
        requireValid(http);
        management.ifPresent(ServicePorts::requireValid);
        if (management.isPresent() && management.getAsInt() == http) {
            throw new IllegalArgumentException("the management interface and HTTP share port " + http);
        }
    }

    static ServicePorts of(PackagedConfig config) {
        int http = port(config, "quarkus.http.port", DEFAULT_HTTP_PORT);
        boolean managementEnabled =
                Boolean.parseBoolean(config.get("quarkus.management.enabled").orElse("false"));
        return new ServicePorts(
                http,
                managementEnabled
                        ? OptionalInt.of(port(config, "quarkus.management.port", DEFAULT_MANAGEMENT_PORT))
                        : OptionalInt.empty());
    }

    /** HTTP first, then management. */
    public List<Integer> all() {
        List<Integer> ports = new ArrayList<>(List.of(http));
        management.ifPresent(ports::add);
        return List.copyOf(ports);
    }

    private static int port(PackagedConfig config, String key, int fallback) {
        String value = config.get(key).orElse(Integer.toString(fallback));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(key + " is '" + value + "', not a port number", e);
        }
    }

    private static void requireValid(int port) {
        // Port 0 means "any free port": a container cannot declare that.
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a port a container can expose: " + port);
        }
    }
}
