package io.meridian.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.deploy.k8s.KustomizeRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Builds the base image and every service's image with Jib, pushes them to a real registry (Debian's
 * {@code docker-registry}, run as a process) and reads them back through the registry's HTTP API, as a container
 * runtime pulls them: their configuration, their layers, the names deploy/k8s uses, and Java starting in the
 * unpacked image as its user.
 */
class ServiceImagesIT {

    private static final Path REPO = Path.of(System.getProperty("meridian.repo", "../.."))
            .toAbsolutePath()
            .normalize();
    private static final Path WORK = Path.of(System.getProperty("meridian.images.work", "target/images-it"))
            .toAbsolutePath()
            .normalize();
    private static final String TAG = ImagePublisher.releaseTag();

    private static RegistryProcess registry;
    private static RegistryReader reader;
    private static ImagePublisher.Publication publication;

    @BeforeAll
    static void publishToAFreshRegistry() {
        deleteRecursively(WORK.resolve("registry"));
        registry = RegistryProcess.start(WORK.resolve("registry"));
        reader = new RegistryReader(registry.api());
        // Plain HTTP because the registry is on this machine: the rule the command line applies too.
        PushTarget target =
                new PushTarget(registry.host(), TAG, PushTarget.isLoopback(registry.host()), WORK.resolve("work"));
        publication = ImagePublisher.publish(REPO, target);
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
        // Half a gigabyte of blobs and an unpacked image; Jib's layer cache stays for the next run.
        deleteRecursively(WORK.resolve("registry"));
        deleteRecursively(WORK.resolve("rootfs"));
    }

    @Test
    void theRegistryHoldsTheBaseImageAndOneImagePerService() {
        assertThat(publication.services().keySet()).containsExactlyElementsOf(services());

        List<String> expected = new ArrayList<>();
        expected.add(ImageName.NAMESPACE + "/" + ImageName.JAVA_RUNTIME);
        services().forEach(service -> expected.add(ImageName.NAMESPACE + "/" + service));
        assertThat(reader.catalog()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyServiceIsDeployedByTheKubernetesManifests() {
        for (Path kustomization : kustomizations()) {
            assertThat(deployedImages(kustomization).keySet())
                    .as("services deployed by %s", REPO.relativize(kustomization))
                    .containsExactlyElementsOf(services());
        }
    }

    @Test
    void theKubernetesManifestsNameTheImagesTheBuildPushes() {
        for (Path kustomization : kustomizations()) {
            deployedImages(kustomization).forEach((service, image) -> {
                PushedImage pushed = publication.services().get(service);
                assertThat(pushed)
                        .as("%s deploys %s, which the build does not make", REPO.relativize(kustomization), image)
                        .isNotNull();
                assertThat(image)
                        .as("the image %s deploys for %s", REPO.relativize(kustomization), service)
                        .isEqualTo(pushed.name()
                                .inRegistry(ImageName.PUBLIC_REGISTRY)
                                .toString());
            });
        }
    }

    @TestFactory
    Stream<DynamicTest> eachServiceImageRunsItsFastJarAsANonRootUserOnItsPorts() {
        return services().stream().map(service -> DynamicTest.dynamicTest(service, () -> checkServiceImage(service)));
    }

    @Test
    void theBaseImageIsAJavaRuntimeFromScratchThatRunsAsItsNonRootUser() throws Exception {
        PushedImage base = publication.base();
        RegistryReader.Manifest manifest = reader.manifest(base.name().repository(), TAG);
        JsonNode config = reader.config(base.name().repository(), manifest);

        assertThat(manifest.digest()).isEqualTo(base.digest());
        assertThat(manifest.layerDigests()).hasSize(3);
        assertThat(config.path("os").asText()).isEqualTo("linux");
        assertThat(uid(config.path("config").path("User").asText())).isEqualTo(BaseImage.UID);
        assertThat(config.path("config")
                        .path("Labels")
                        .path("io.meridian.java.version")
                        .asText())
                .isEqualTo(Runtime.version().toString());
    }

    @Test
    void aServiceImageUnpackedIntoARootFileSystemStartsJavaAsItsUserWithNothingFromTheHost() throws Exception {
        String service = services().getFirst();
        String repository = publication.services().get(service).name().repository();
        RegistryReader.Manifest manifest = reader.manifest(repository, TAG);
        JsonNode config = reader.config(repository, manifest).path("config");

        Path root = WORK.resolve("rootfs");
        deleteRecursively(root);
        Files.createDirectories(root);
        for (String layer : manifest.layerDigests()) {
            Path blob = reader.blob(repository, layer, WORK.resolve("layer.tar.gz"));
            LayerArchive.unpack(blob, root);
            Files.delete(blob);
        }
        Files.createDirectories(root.resolve("proc"));

        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(argument -> entrypoint.add(argument.asText()));
        // The image's own JVM options, then a report of what the JVM sees instead of starting the service (it
        // would need Kafka and PostgreSQL).
        List<String> java = new ArrayList<>(entrypoint.subList(0, entrypoint.indexOf("-jar")));
        java.addAll(List.of("-XshowSettings:properties", "-version"));

        String user = config.path("User").asText();
        List<String> command = new ArrayList<>(List.of(
                "unshare",
                "--mount",
                "--pid",
                "--fork",
                "--mount-proc",
                "--root=" + root,
                "--wd=" + config.path("WorkingDir").asText(),
                "--setuid=" + uid(user),
                "--setgid=" + user.substring(user.indexOf(':') + 1)));
        command.addAll(java);
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("running the unpacked image in its own root (unshare --root) needs root, as the build machines and"
                    + " CI run; as another user, run this test under sudo: " + String.join(" ", command));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Only the image's environment: nothing of the host's may make it work.
        builder.environment().clear();
        config.path("Env").forEach(variable -> {
            String entry = variable.asText();
            builder.environment().put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
        });
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("java.home = " + BaseImage.JAVA_HOME)
                .contains("user.name = " + BaseImage.USER_NAME)
                .contains("user.dir = " + ServiceImage.DEPLOYMENTS)
                .contains("sun.jnu.encoding = UTF-8")
                .contains("version \"" + Runtime.version().feature());
    }

    private static void checkServiceImage(String service) {
        PushedImage pushed = publication.services().get(service);
        String repository = pushed.name().repository();
        RegistryReader.Manifest manifest = reader.manifest(repository, TAG);
        JsonNode image = reader.config(repository, manifest);
        JsonNode config = image.path("config");

        assertThat(manifest.digest()).as("what the tag points at").isEqualTo(pushed.digest());
        assertThat(manifest.mediaType()).isEqualTo(RegistryReader.OCI_MANIFEST);
        assertThat(manifest.json().path("config").path("mediaType").asText()).isEqualTo(RegistryReader.OCI_CONFIG);

        assertThat(uid(config.path("User").asText())).as("the user's uid").isNotZero();
        assertThat(fieldNames(config.path("ExposedPorts")))
                .as("ports of %s", service)
                .isEqualTo(configuredPorts(service));
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(argument -> entrypoint.add(argument.asText()));
        assertThat(entrypoint.getFirst()).isEqualTo(BaseImage.JAVA_HOME + "/bin/java");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
                .containsExactly("-jar", "/deployments/quarkus-run.jar");
        assertThat(config.path("Cmd").isMissingNode()
                        || config.path("Cmd").isNull()
                        || config.path("Cmd").isEmpty())
                .as("no arguments after the entrypoint")
                .isTrue();
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/deployments");
        JsonNode labels = config.path("Labels");
        assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("meridian-" + service);
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(TAG);
        assertThat(labels.path("org.opencontainers.image.base.name").asText())
                .isEqualTo(publication.base().name().toString());
        assertThat(labels.path("org.opencontainers.image.base.digest").asText())
                .isEqualTo(publication.base().digest());

        // FROM the base: its layers first, then the fast-jar's three.
        List<String> baseLayers =
                reader.manifest(publication.base().name().repository(), TAG).layerDigests();
        List<String> layers = manifest.layerDigests();
        assertThat(layers).hasSize(baseLayers.size() + 3).startsWith(baseLayers.toArray(String[]::new));
        assertThat(manifest.layerMediaTypes()).containsOnly(RegistryReader.OCI_LAYER);
        assertThat(image.path("rootfs").path("diff_ids")).hasSize(layers.size());

        Path app = REPO.resolve("services").resolve(service).resolve("target/quarkus-app");
        List<LayerArchive.Entry> dependencies = layer(repository, layers.get(baseLayers.size()));
        List<LayerArchive.Entry> quarkus = layer(repository, layers.get(baseLayers.size() + 1));
        List<LayerArchive.Entry> application = layer(repository, layers.get(baseLayers.size() + 2));
        assertThat(files(dependencies))
                .as("the dependencies layer: lib/ and nothing else")
                .allMatch(path -> path.startsWith("deployments/lib/"))
                .containsAll(filesUnder(app, "lib"));
        assertThat(files(quarkus))
                .as("the quarkus layer")
                .contains("deployments/quarkus-run.jar")
                .containsAll(filesUnder(app, "quarkus"))
                .allMatch(
                        path -> path.equals("deployments/quarkus-run.jar") || path.startsWith("deployments/quarkus/"));
        assertThat(files(application))
                .as("the application layer: app/ and nothing else")
                .containsExactlyInAnyOrderElementsOf(filesUnder(app, "app"));
        Stream.of(dependencies, quarkus, application).flatMap(List::stream).forEach(entry -> {
            assertThat(entry.uid()).as("owner of %s", entry.path()).isZero();
            assertThat(entry.mode() & 022)
                    .as("%s writable by its user", entry.path())
                    .isZero();
        });
    }

    /** The ports a service's own application.properties configures, read here apart from the image builder. */
    private static Set<String> configuredPorts(String service) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(
                REPO.resolve("services").resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> ports = new TreeSet<>();
        for (String key : List.of("quarkus.http.port", "quarkus.management.port")) {
            Optional.ofNullable(properties.getProperty("%prod." + key, properties.getProperty(key)))
                    .ifPresent(port -> ports.add(port.strip() + "/tcp"));
        }
        assertThat(ports).as("%s configures its HTTP port", service).isNotEmpty();
        return ports;
    }

    /** Service name -> image of the Deployments a kustomization renders, for the containers of Meridian's images. */
    private static Map<String, String> deployedImages(Path kustomization) {
        Map<String, String> images = new TreeMap<>();
        for (ObjectNode object : new KustomizeRenderer().render(kustomization)) {
            if (!object.path("kind").asText().equals("Deployment")) {
                continue;
            }
            for (JsonNode container :
                    object.path("spec").path("template").path("spec").path("containers")) {
                String image = container.path("image").asText();
                if (image.contains("/" + ImageName.NAMESPACE + "/")) {
                    ImageName name = ImageName.parse(image);
                    String previous = images.put(name.repository().substring(ImageName.NAMESPACE.length() + 1), image);
                    assertThat(previous).as("a second Deployment of %s", image).isNull();
                }
            }
        }
        return images;
    }

    private static List<Path> kustomizations() {
        List<Path> kustomizations = new ArrayList<>(List.of(REPO.resolve("deploy/k8s/base")));
        try (Stream<Path> overlays = Files.list(REPO.resolve("deploy/k8s/overlays"))) {
            overlays.filter(Files::isDirectory).sorted().forEach(kustomizations::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kustomizations;
    }

    /** The services of the repository, listed here apart from the image builder: every services/* with a pom. */
    private static List<String> services() {
        try (Stream<Path> directories = Files.list(REPO.resolve("services"))) {
            return directories
                    .filter(directory -> Files.isRegularFile(directory.resolve("pom.xml")))
                    .map(directory -> directory.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<LayerArchive.Entry> layer(String repository, String digest) {
        Path blob = reader.blob(repository, digest, WORK.resolve("layer.tar.gz"));
        try {
            return LayerArchive.entries(blob);
        } finally {
            try {
                Files.deleteIfExists(blob);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<String> files(List<LayerArchive.Entry> entries) {
        return entries.stream()
                .map(LayerArchive.Entry::path)
                .map(path -> path.replaceFirst("^/+", ""))
                .filter(path -> !path.endsWith("/"))
                .toList();
    }

    /** The files of the packaged service under one of its directories, as paths in the image. */
    private static List<String> filesUnder(Path app, String directory) {
        try (Stream<Path> files = Files.walk(app.resolve(directory))) {
            return files.filter(Files::isRegularFile)
                    .map(file ->
                            "deployments/" + app.relativize(file).toString().replace('\\', '/'))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The uid of an image's User ({@code uid[:gid]}); a user given by name other than root is refused here. */
    private static int uid(String user) {
        String uid = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        // An empty User runs as root.
        if (uid.isEmpty() || uid.equals("root")) {
            return 0;
        }
        return Integer.parseInt(uid);
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
