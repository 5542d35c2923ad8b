package io.meridian.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

    private static final String SERVICE = "fake";

    @TempDir
    Path repo;

    private final List<ServiceProcess> started = new ArrayList<>();

    @BeforeEach
    void packageTheFakeService() throws IOException {
        // The layout of a packaged service: services/<name>/target/quarkus-app/quarkus-run.jar.
        Path jar = repo.resolve("services/" + SERVICE + "/target/quarkus-app/quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                InputStream classFile = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
    }

    @AfterEach
    void stopAll() {
        started.forEach(service -> service.stop(Duration.ofSeconds(5)));
    }

    @Test
    void startsThePackagedJarWithItsOptionsPropertiesAndEnvironmentAndWaitsUntilItIsReady() throws IOException {
        int port = FreePorts.next();
        int managementPort = FreePorts.next();
        ServiceProcess service = start(launch(
                port,
                managementPort,
                List.of("-Xmx64m", "-Dfake.jvm-option=yes"),
                Map.of("fake.greeting", "hello", "fake.ready-after-ms", "1500"),
                Map.of("FAKE_SECRET", "s3cret")));

        service.awaitReady(Duration.ofSeconds(30));

        assertThat(service.isReady()).isTrue();
        assertThat(service.port()).isEqualTo(port);
        assertThat(service.baseUrl()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(service.managementPort()).isEqualTo(managementPort);
        assertThat(service.managementUrl()).isEqualTo("http://127.0.0.1:" + managementPort);
        assertThat(service.rssMiB()).isPositive();
        assertThat(ProcessHandle.of(service.pid())).isPresent();
        String log = Files.readString(service.log());
        assertThat(service.log()).isEqualTo(repo.resolve("logs/fake.log"));
        assertThat(log)
                .contains("fake.greeting=hello", "FAKE_SECRET=s3cret", "cwd=" + repo.toRealPath())
                // JVM options first, then the ports, then the properties.
                .containsSubsequence(
                        "-Xmx64m",
                        "-Dfake.jvm-option=yes",
                        "-Dquarkus.http.port=" + port,
                        "-Dquarkus.management.port=" + managementPort,
                        "-Dfake.");
    }

    @Test
    void readinessIsAskedOfTheManagementPortNotTheApiPort() throws Exception {
        ServiceProcess service = start(launch(FreePorts.next(), List.of(), Map.of(), Map.of()));
        service.awaitReady(Duration.ofSeconds(30));

        // The API port is up but, like a Meridian service's, serves no health: only the management port says ready.
        HttpResponse<Void> onApiPort = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        assertThat(onApiPort.statusCode()).isEqualTo(404);
        assertThat(service.isReady()).isTrue();
    }

    @Test
    void stoppingSendsSigtermSoTheServiceShutsDownGracefully() {
        ServiceProcess service = start(launch(FreePorts.next(), List.of(), Map.of(), Map.of()));
        service.awaitReady(Duration.ofSeconds(30));

        service.close();

        assertThat(service.isAlive()).isFalse();
        assertThat(service.isReady()).isFalse();
        assertThat(service.logTail(1)).isEqualTo("stopped gracefully");
    }

    @Test
    void aServiceThatExitsWhileStartingFailsTheWaitWithItsExitCodeAndTheEndOfItsLog() {
        ServiceProcess service = start(
                launch(FreePorts.next(), List.of(), Map.of("fake.mode", "exit", "fake.greeting", "bye"), Map.of()));

        assertThatThrownBy(() -> service.awaitReady(Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fake exited during startup with exit code 3")
                .hasMessageContaining("fake.greeting=bye");
        assertThat(service.lostItsPort()).isFalse();
    }

    @Test
    void aServiceThatNeverBecomesReadyFailsTheWaitAfterTheTimeout() {
        ServiceProcess service =
                start(launch(FreePorts.next(), List.of(), Map.of("fake.mode", "never-ready"), Map.of()));

        assertThatThrownBy(() -> service.awaitReady(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fake not ready within PT2S on " + service.managementUrl())
                // What readiness said, on one line: which check is down and why.
                .hasMessageContaining("(503 { \"status\": \"DOWN\", \"checks\": [ { \"name\": \"fake-view\","
                        + " \"status\": \"DOWN\", \"data\": { \"reading\": \"fleet.resources.v1\" } } ] })");
        assertThat(service.isAlive()).isTrue();
    }

    @Test
    void aServiceThatLostItsManagementPortIsStartedAgainOnOtherPortsWithTheSameLaunch() throws IOException {
        int taken = FreePorts.next();
        ServiceProcess first = start(launch(
                FreePorts.next(),
                taken,
                List.of(),
                Map.of("fake.taken-port", Integer.toString(taken), "fake.greeting", "again"),
                Map.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> !first.isAlive());
        assertThat(first.lostItsPort()).isTrue();

        int other = FreePorts.next();
        int otherManagement = FreePorts.next();
        ServiceProcess again = first.restartedOn(other, otherManagement);
        started.add(again);
        again.awaitReady(Duration.ofSeconds(30));

        assertThat(again.port()).isEqualTo(other);
        assertThat(again.managementPort()).isEqualTo(otherManagement);
        assertThat(again.service()).isEqualTo(SERVICE);
        assertThat(Files.readString(again.log())).contains("fake.greeting=again");
    }

    @Test
    void aMissingJarSaysToBuildTheServicesFirst() {
        ServiceLaunch missing = new ServiceLaunch(
                repo,
                "absent",
                FreePorts.next(),
                FreePorts.next(),
                List.of(),
                Map.of(),
                Map.of(),
                repo.resolve("logs"));

        assertThatThrownBy(() -> ServiceProcess.start(missing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("services/absent/target/quarkus-app/quarkus-run.jar is missing")
                .hasMessageContaining("./mvnw install -DskipTests");
    }

    private ServiceLaunch launch(
            int port, List<String> jvmOptions, Map<String, String> properties, Map<String, String> environment) {
        return launch(port, FreePorts.next(), jvmOptions, properties, environment);
    }

    private ServiceLaunch launch(
            int port,
            int managementPort,
            List<String> jvmOptions,
            Map<String, String> properties,
            Map<String, String> environment) {
        return new ServiceLaunch(
                repo, SERVICE, port, managementPort, jvmOptions, properties, environment, repo.resolve("logs"));
    }

    private ServiceProcess start(ServiceLaunch launch) {
        ServiceProcess service = ServiceProcess.start(launch);
        started.add(service);
        return service;
    }
}
