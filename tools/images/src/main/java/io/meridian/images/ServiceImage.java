package io.meridian.images;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissionsProvider;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The image of one service: the base image, then the fast-jar in {@code /deployments} in three layers from the one
 * that changes least to the one that changes most: the dependencies ({@code lib/}), Quarkus' generated code and
 * launcher ({@code quarkus/}, {@code quarkus-run.jar}), and the service's own classes ({@code app/}).
 */
final class ServiceImage {

    static final AbsoluteUnixPath DEPLOYMENTS = AbsoluteUnixPath.get("/deployments");
    static final String DEPENDENCIES_LAYER = "dependencies";
    static final String QUARKUS_LAYER = "quarkus";
    static final String APPLICATION_LAYER = "application";

    /**
     * How the service starts: heap sized from the container's memory limit, a restart rather than a limping JVM
     * after an OutOfMemoryError, and Quarkus' log manager from the first log line on. More options go in
     * {@code JDK_JAVA_OPTIONS}, which the launcher reads itself (there is no shell script to read anything else).
     */
    static final List<String> ENTRYPOINT = List.of(
            BaseImage.JAVA_HOME.resolve("bin").resolve("java").toString(),
            "-XX:MaxRAMPercentage=75.0",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
            "-jar",
            DEPLOYMENTS.resolve("quarkus-run.jar").toString());

    private ServiceImage() {}

    static PushedImage push(PackagedService service, PushedImage base, PushTarget target) {
        ImageName name = target.serviceImage(service.name());
        Path app = service.quarkusApp();
        FilePermissionsProvider permissions = (source, destination) -> Layers.permissions(source);
        List<FileEntriesLayer> layers;
        try {
            layers = List.of(
                    FileEntriesLayer.builder()
                            .setName(DEPENDENCIES_LAYER)
                            .addEntryRecursive(app.resolve("lib"), DEPLOYMENTS.resolve("lib"), permissions)
                            .build(),
                    FileEntriesLayer.builder()
                            .setName(QUARKUS_LAYER)
                            .addEntryRecursive(app.resolve("quarkus"), DEPLOYMENTS.resolve("quarkus"), permissions)
                            .addEntryRecursive(
                                    app.resolve("quarkus-run.jar"), DEPLOYMENTS.resolve("quarkus-run.jar"), permissions)
                            .build(),
                    FileEntriesLayer.builder()
                            .setName(APPLICATION_LAYER)
                            .addEntryRecursive(app.resolve("app"), DEPLOYMENTS.resolve("app"), permissions)
                            .build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packaged service in " + app, e);
        }

        Set<Port> ports = new LinkedHashSet<>();
        service.ports().all().forEach(port -> ports.add(Port.tcp(port)));

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", "meridian-" + service.name());
        labels.put("org.opencontainers.image.description", "Meridian's " + service.name() + " service");
        labels.put("org.opencontainers.image.version", target.tag());
        labels.put("org.opencontainers.image.vendor", Layers.VENDOR);
        labels.put("org.opencontainers.image.base.name", base.name().toString());
        labels.put("org.opencontainers.image.base.digest", base.digest());

        try {
            JibContainer container = Jib.from(target.registryImage(base))
                    .setFormat(ImageFormat.OCI)
                    .setCreationTime(Instant.EPOCH)
                    .setFileEntriesLayers(layers)
                    .setUser(BaseImage.USER)
                    .setWorkingDirectory(DEPLOYMENTS)
                    .setExposedPorts(ports)
                    .setLabels(labels)
                    .setEntrypoint(ENTRYPOINT)
                    .setProgramArguments(List.of())
                    .containerize(target.containerizer(name));
            return new PushedImage(name, container.getDigest().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing " + name, e);
        } catch (RegistryException | IOException | CacheDirectoryCreationException | ExecutionException e) {
            throw new IllegalStateException("cannot build or push " + name + ": " + e.getMessage(), e);
        }
    }
}
