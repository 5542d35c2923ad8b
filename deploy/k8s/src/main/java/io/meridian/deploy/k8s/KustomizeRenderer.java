package io.meridian.deploy.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization directory with the real kustomize, {@code kubectl kustomize <dir>} (kubectl carries
 * kustomize v5), and reads the objects it prints; writes objects as the same multi-document YAML.
 */
public final class KustomizeRenderer {

    /** A system property naming the kubectl binary, when the one on the {@code PATH} is not the one to use. */
    public static final String KUBECTL_PROPERTY = "meridian.kubectl";

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);

    private static final String INSTALL_KUBECTL = "install kubectl 1.27 or newer (it carries kustomize v5;"
            + " https://kubernetes.io/docs/tasks/tools/) on the PATH, or name it with -D" + KUBECTL_PROPERTY
            + "=/path/to/kubectl";

    private final String kubectl;
    private final Duration timeout;
    private final YAMLMapper yaml;

    /** Runs the kubectl that {@value #KUBECTL_PROPERTY} names, else the one on the {@code PATH}. */
    public KustomizeRenderer() {
        this(System.getProperty(KUBECTL_PROPERTY, "kubectl"), DEFAULT_TIMEOUT);
    }

    KustomizeRenderer(String kubectl, Duration timeout) {
        this.kubectl = kubectl;
        this.timeout = timeout;
        this.yaml = YAMLMapper.builder(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        // A string such as an env value "1" must not come back as a number.
                        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                        .build())
                .build();
    }

    /**
     * The objects {@code kubectl kustomize directory} prints, in its order.
     *
     * @throws KustomizeException when kubectl is missing, fails (with what it wrote on stderr), or takes too long
     */
    public List<ObjectNode> render(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        String what = kubectl + " kustomize " + absolute;
        Path stdout = null;
        Path stderr = null;
        try {
            // Files, not pipes: a process whose output nobody reads while we wait for it would block on a full pipe.
            stdout = Files.createTempFile("kustomize-", ".yaml");
            stderr = Files.createTempFile("kustomize-", ".err");
            Process process;
            try {
                process = new ProcessBuilder(kubectl, "kustomize", absolute.toString())
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
            } catch (IOException e) {
                throw new KustomizeException("cannot run " + what + " (" + e.getMessage() + "): " + INSTALL_KUBECTL, e);
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new KustomizeException(what + " did not finish within " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new KustomizeException(what + " failed with exit code " + process.exitValue() + ": "
                        + Files.readString(stderr, StandardCharsets.UTF_8).strip());
            }
            return read(Files.readString(stdout, StandardCharsets.UTF_8), what);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KustomizeException("interrupted while running " + what, e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** The rendered objects as one multi-document YAML stream, as {@code kubectl kustomize} prints them. */
    public String toYaml(List<ObjectNode> objects) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode object : objects) {
            if (!out.isEmpty()) {
                out.append("---\n");
            }
            try {
                out.append(yaml.writeValueAsString(object));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    /** The identity kustomize uses: group, kind, namespace and name, e.g. {@code apps/Deployment/meridian/x}. */
    public static String id(ObjectNode object) {
        String apiVersion = object.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        return (slash < 0 ? "" : apiVersion.substring(0, slash)) + "/"
                + object.path("kind").asText() + "/"
                + object.path("metadata").path("namespace").asText("") + "/"
                + object.path("metadata").path("name").asText();
    }

    private List<ObjectNode> read(String documents, String what) {
        List<ObjectNode> objects = new ArrayList<>();
        try (JsonParser parser = yaml.createParser(documents);
                MappingIterator<JsonNode> iterator = yaml.readValues(parser, JsonNode.class)) {
            while (iterator.hasNextValue()) {
                JsonNode document = iterator.nextValue();
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue;
                }
                if (!(document instanceof ObjectNode object)) {
                    throw new KustomizeException(what + " printed a " + document.getNodeType() + ", not an object");
                }
                objects.add(object);
            }
        } catch (IOException e) {
            throw new KustomizeException(what + " printed YAML that cannot be read: " + e.getMessage(), e);
        }
        return objects;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind is not worth failing a render for
            }
        }
    }
}
