package io.meridian.images;

import static org.awaitility.Awaitility.await;

import io.meridian.stack.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code docker-registry} (the CNCF distribution registry, a real OCI registry) as a process on a free
 * port, storing blobs under a directory of the test's own.
 */
final class RegistryProcess implements AutoCloseable {

    private static final String BINARY = "docker-registry";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;

    private RegistryProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a registry with its configuration, storage and log under {@code home}, and waits until it answers. */
    static RegistryProcess start(Path home) {
        Path binary = find().orElseThrow(() -> new IllegalStateException(BINARY + " is not installed: the image tests"
                + " push to Debian's registry, run as a process. Install it with: apt-get install -y docker-registry"
                + " (.ci/run does that on a fresh machine)"));
        int port = FreePorts.next();
        try {
            Path storage = Files.createDirectories(home.resolve("storage"));
            Path config = home.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: warn
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                      secret: meridian-image-tests
                    """.formatted(storage, port), StandardCharsets.UTF_8);
            Path log = home.resolve("registry.log");
            Process process = new ProcessBuilder(binary.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            RegistryProcess registry = new RegistryProcess(process, port, log);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    /** Host and port, as an image reference names the registry. */
    String host() {
        return "127.0.0.1:" + port;
    }

    URI api() {
        return URI.create("http://" + host() + "/v2/");
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        await("docker-registry answering on " + api())
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> e instanceof IOException)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "docker-registry exited with " + process.exitValue() + ":\n" + Files.readString(log));
                    }
                    return http.send(HttpRequest.newBuilder(api()).build(), HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
    }

    private static Optional<Path> find() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + File.pathSeparator + "/usr/bin";
        return Stream.of(path.split(File.pathSeparator))
                .filter(directory -> !directory.isBlank())
                .map(directory -> Path.of(directory, BINARY))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
