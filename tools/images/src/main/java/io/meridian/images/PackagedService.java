package io.meridian.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One service of the repository as its build packaged it: {@code services/<name>/target/quarkus-app}.
 *
 * @param name the directory under {@code services/}, which is also the image's last path segment
 * @param quarkusApp the fast-jar directory, with {@code quarkus-run.jar}, {@code lib/}, {@code app/}, {@code quarkus/}
 * @param ports what the package listens on
 */
public record PackagedService(String name, Path quarkusApp, ServicePorts ports) {

    /** Every service under {@code <repo>/services}, by name; each must have been packaged. */
    public static List<PackagedService> discover(Path repo) {
        Path services = repo.resolve("services");
        try (Stream<Path> directories = Files.list(services)) {
            return directories
                    .filter(directory -> Files.isRegularFile(directory.resolve("pom.xml")))
                    .sorted()
                    .map(PackagedService::of)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + services, e);
        }
    }

    /** The packaged service in {@code services/<name>} (the given directory). */
    public static PackagedService of(Path serviceDirectory) {
        Path quarkusApp = serviceDirectory.resolve("target").resolve("quarkus-app");
        if (!Files.isRegularFile(quarkusApp.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(quarkusApp.resolve("quarkus-run.jar")
                    + " is missing: package the services first (./mvnw install -DskipTests from the repository root)");
        }
        return new PackagedService(
                serviceDirectory.getFileName().toString(),
                quarkusApp,
                ServicePorts.of(PackagedConfig.read(quarkusApp)));
    }
}
