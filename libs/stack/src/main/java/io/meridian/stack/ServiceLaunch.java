package io.meridian.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start one packaged Meridian service: its jar under {@code services/<service>}, the API and management ports,
 * the JVM's own options, the service's configuration as system properties, and environment variables for what must
 * not show on a command line (keys, secrets).
 *
 * @param repo the repository root
 * @param service the service's name, as in {@code services/<service>}
 * @param port the HTTP port of the service's REST API ({@code quarkus.http.port})
 * @param managementPort the port of Quarkus' management interface ({@code quarkus.management.port}): health, metrics
 *     and OpenAPI, which the API port does not serve
 * @param logs the directory of the service's log, {@code <service>.log}
 */
public record ServiceLaunch(
        Path repo,
        String service,
        int port,
        int managementPort,
        List<String> jvmOptions,
        Map<String, String> properties,
        Map<String, String> environment,
        Path logs) {

    public ServiceLaunch {
        jvmOptions = List.copyOf(jvmOptions);
        // Copied in order: the properties go on the command line as given.
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        environment = Map.copyOf(environment);
    }

    /** The launcher of the packaged service ({@code ./mvnw package} writes it). */
    public Path jar() {
        return repo.resolve("services").resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Path log() {
        return logs.resolve(service + ".log");
    }

    /** The same launch on other ports. */
    public ServiceLaunch withPorts(int otherPort, int otherManagementPort) {
        return new ServiceLaunch(
                repo, service, otherPort, otherManagementPort, jvmOptions, properties, environment, logs);
    }

    /** The command line: the JVM options first, then the ports and the properties, then the jar. */
    List<String> command(Path java) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.port=" + managementPort);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar().toString());
        return command;
    }
}
