package io.meridian.deploy.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders a kustomization directory like {@code kustomize build}, for the part of kustomize that Meridian's
 * manifests use: {@code resources} (files and directories), {@code namespace}, {@code commonLabels},
 * {@code labels} and strategic-merge {@code patches}. Anything else fails loudly rather than being ignored.
 *
 * <p>Order within one kustomization follows kustomize: resources, then patches, then namespace, then labels.
 */
public final class KustomizeRenderer {

    private static final Set<String> SUPPORTED_FIELDS =
            Set.of("apiVersion", "kind", "resources", "namespace", "commonLabels", "labels", "patches");
    private static final Set<String> KUSTOMIZATION_FILE_NAMES =
            Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    /** Kinds without a namespace; the namespace transformer leaves them alone (and renames Namespaces). */
    private static final Set<String> CLUSTER_SCOPED_KINDS = Set.of(
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "CustomResourceDefinition",
            "PersistentVolume",
            "StorageClass",
            "PriorityClass",
            "IngressClass",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "ValidatingWebhookConfiguration",
            "MutatingWebhookConfiguration");

    /** Workloads whose pod template is at spec.template and selector at spec.selector.matchLabels. */
    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet");

    /** Kinds with selectors or subjects that this renderer does not rewrite; it refuses to half-transform them. */
    private static final Set<String> UNSUPPORTED_WITH_TRANSFORMERS =
            Set.of("Job", "CronJob", "PodDisruptionBudget", "NetworkPolicy", "RoleBinding", "ClusterRoleBinding");

    /** Strategic-merge keys of the built-in Kubernetes lists that Meridian's patches touch. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "ephemeralContainers", "name",
            "env", "name",
            "envFrom", "",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "imagePullSecrets", "name");

    private final YAMLMapper yaml;

    public KustomizeRenderer() {
        this.yaml = YAMLMapper.builder(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .build())
                .build();
    }

    /** Renders the kustomization in {@code directory} into its objects, in kustomize's output order of input. */
    public List<ObjectNode> render(Path directory) {
        return render(directory.toAbsolutePath().normalize(), new ArrayDeque<>());
    }

    /** The rendered objects as one multi-document YAML stream, as {@code kustomize build} prints them. */
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

    private List<ObjectNode> render(Path directory, Deque<Path> stack) {
        if (stack.contains(directory)) {
            throw new KustomizeException("kustomization cycle: " + stack + " -> " + directory);
        }
        stack.push(directory);
        try {
            Path file = kustomizationFile(directory);
            ObjectNode kustomization = readKustomization(file);
            List<ObjectNode> objects = new ArrayList<>();
            for (String resource : strings(kustomization, "resources", file)) {
                objects.addAll(loadResource(directory, resource, file, stack));
            }
            requireUniqueIds(objects, file);
            applyPatches(directory, kustomization, objects, file);
            textField(kustomization, "namespace", file).ifPresent(ns -> setNamespace(objects, ns));
            applyLabels(kustomization, objects, file);
            return objects;
        } finally {
            stack.pop();
        }
    }

    private static Path kustomizationFile(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new KustomizeException("not a directory: " + directory);
        }
        return KUSTOMIZATION_FILE_NAMES.stream()
                .map(directory::resolve)
                .filter(Files::isRegularFile)
                .findFirst()
                .orElseThrow(() -> new KustomizeException("no kustomization.yaml in " + directory));
    }

    private ObjectNode readKustomization(Path file) {
        List<ObjectNode> documents = readDocuments(file);
        if (documents.size() != 1) {
            throw new KustomizeException(file + ": expected one document, found " + documents.size());
        }
        ObjectNode kustomization = documents.getFirst();
        for (Iterator<String> names = kustomization.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SUPPORTED_FIELDS.contains(name)) {
                throw new KustomizeException(file + ": field '" + name
                        + "' is not supported by this renderer (supported: " + SUPPORTED_FIELDS + ")");
            }
        }
        textField(kustomization, "kind", file)
                .filter(kind -> !kind.equals("Kustomization"))
                .ifPresent(kind -> {
                    throw new KustomizeException(file + ": kind must be Kustomization, not " + kind);
                });
        return kustomization;
    }

    private List<ObjectNode> loadResource(Path directory, String resource, Path file, Deque<Path> stack) {
        if (resource.contains("://")) {
            throw new KustomizeException(file + ": remote resource '" + resource + "' is not supported");
        }
        Path path = directory.resolve(resource).normalize();
        if (Files.isDirectory(path)) {
            return render(path, stack);
        }
        if (!Files.isRegularFile(path)) {
            throw new KustomizeException(file + ": resource '" + resource + "' does not exist (" + path + ")");
        }
        List<ObjectNode> objects = readDocuments(path);
        for (int i = 0; i < objects.size(); i++) {
            requireObjectShape(objects.get(i), path + " document " + (i + 1));
        }
        return objects;
    }

    /** Reads every non-empty YAML document of a file; each must be a mapping. */
    private List<ObjectNode> readDocuments(Path path) {
        List<ObjectNode> documents = new ArrayList<>();
        try (JsonParser parser = yaml.createParser(path.toFile());
                MappingIterator<JsonNode> iterator = yaml.readValues(parser, JsonNode.class)) {
            int index = 0;
            while (iterator.hasNextValue()) {
                index++;
                JsonNode document = iterator.nextValue();
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue;
                }
                if (!(document instanceof ObjectNode object)) {
                    throw new KustomizeException(
                            path + " document " + index + ": expected a mapping, found " + document.getNodeType());
                }
                documents.add(object);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof KustomizeException ke) {
                throw ke;
            }
            throw new KustomizeException(path + ": not valid YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    private static void requireObjectShape(ObjectNode object, String where) {
        for (String field : List.of("apiVersion", "kind")) {
            JsonNode value = object.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw new KustomizeException(where + ": missing " + field);
            }
        }
        JsonNode name = object.path("metadata").get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new KustomizeException(where + ": missing metadata.name");
        }
    }

    private static void requireUniqueIds(List<ObjectNode> objects, Path file) {
        Set<String> seen = new HashSet<>();
        for (ObjectNode object : objects) {
            String id = id(object);
            if (!seen.add(id)) {
                throw new KustomizeException(file + ": object " + id + " is defined more than once");
            }
        }
    }

    // -- patches --------------------------------------------------------------------------------------

    private void applyPatches(Path directory, ObjectNode kustomization, List<ObjectNode> objects, Path file) {
        JsonNode patches = kustomization.get("patches");
        if (patches == null || patches.isNull()) {
            return;
        }
        if (!patches.isArray()) {
            throw new KustomizeException(file + ": patches must be a list");
        }
        int index = 0;
        for (JsonNode entry : patches) {
            String where = file + " patches[" + index++ + "]";
            if (!entry.isObject()) {
                throw new KustomizeException(where + ": expected a mapping with 'path' or 'patch'");
            }
            for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("path") && !name.equals("patch")) {
                    throw new KustomizeException(where + ": '" + name
                            + "' is not supported by this renderer; name the target object inside the patch");
                }
            }
            List<ObjectNode> documents;
            if (entry.has("path")) {
                Path patchFile = directory.resolve(entry.get("path").asText()).normalize();
                if (!Files.isRegularFile(patchFile)) {
                    throw new KustomizeException(where + ": patch file does not exist: " + patchFile);
                }
                documents = readDocuments(patchFile);
            } else if (entry.has("patch")) {
                documents = readInlinePatch(entry.get("patch").asText(), where);
            } else {
                throw new KustomizeException(where + ": needs 'path' or 'patch'");
            }
            if (documents.isEmpty()) {
                throw new KustomizeException(where + ": empty patch");
            }
            for (ObjectNode patch : documents) {
                requireObjectShape(patch, where);
                ObjectNode target = findTarget(objects, patch, where);
                boolean builtIn = isBuiltInKind(patch.get("apiVersion").asText());
                strategicMerge(target, patch, builtIn, where);
            }
        }
    }

    private List<ObjectNode> readInlinePatch(String text, String where) {
        try {
            JsonNode node = yaml.readTree(text);
            if (node instanceof ObjectNode object) {
                return List.of(object);
            }
            throw new KustomizeException(where + ": only strategic-merge patches (a mapping) are supported");
        } catch (IOException e) {
            throw new KustomizeException(where + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    private static ObjectNode findTarget(List<ObjectNode> objects, ObjectNode patch, String where) {
        String group = group(patch.get("apiVersion").asText());
        String kind = patch.get("kind").asText();
        String name = patch.path("metadata").path("name").asText();
        String namespace = patch.path("metadata").path("namespace").asText("");
        List<ObjectNode> matches = objects.stream()
                .filter(o -> group(o.get("apiVersion").asText()).equals(group))
                .filter(o -> o.get("kind").asText().equals(kind))
                .filter(o -> o.path("metadata").path("name").asText().equals(name))
                .filter(o -> namespace.isEmpty()
                        || o.path("metadata").path("namespace").asText("").equals(namespace))
                .toList();
        if (matches.size() != 1) {
            throw new KustomizeException(where + ": patch of " + kind + " " + name + " matches " + matches.size()
                    + " objects, expected exactly one");
        }
        return matches.getFirst();
    }

    /**
     * Strategic merge for built-in kinds (lists with a known merge key are merged by that key); JSON merge
     * patch semantics for custom resources (lists are replaced), as kustomize does. A null value deletes.
     */
    private static void strategicMerge(ObjectNode target, ObjectNode patch, boolean builtIn, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.startsWith("$")) {
                throw new KustomizeException(where + ": patch directive '" + name + "' is not supported");
            }
            JsonNode existing = target.get(name);
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                strategicMerge((ObjectNode) existing, (ObjectNode) value, builtIn, where);
            } else if (value.isArray()
                    && existing != null
                    && existing.isArray()
                    && builtIn
                    && mergeKey(name, (ArrayNode) value).isPresent()) {
                mergeList(
                        (ArrayNode) existing,
                        (ArrayNode) value,
                        mergeKey(name, (ArrayNode) value).get(),
                        where);
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }

    private static Optional<String> mergeKey(String field, ArrayNode patchList) {
        if (field.equals("ports")) {
            // Container ports merge by containerPort, Service ports by port.
            boolean containerPorts = patchList.size() > 0 && patchList.get(0).has("containerPort");
            return Optional.of(containerPorts ? "containerPort" : "port");
        }
        String key = MERGE_KEYS.get(field);
        return key == null || key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String key, String where) {
        for (JsonNode item : patch) {
            if (!item.isObject() || !item.has(key)) {
                throw new KustomizeException(where + ": list item without merge key '" + key + "': " + item);
            }
            ObjectNode match = null;
            for (JsonNode candidate : target) {
                if (candidate.isObject() && item.get(key).equals(candidate.get(key))) {
                    match = (ObjectNode) candidate;
                    break;
                }
            }
            if (match == null) {
                target.add(item.deepCopy());
            } else {
                strategicMerge(match, (ObjectNode) item, true, where);
            }
        }
    }

    // -- namespace and labels -------------------------------------------------------------------------

    private static void setNamespace(List<ObjectNode> objects, String namespace) {
        for (ObjectNode object : objects) {
            String kind = object.get("kind").asText();
            // Kustomize's namespace transformer moves a NetworkPolicy and leaves its selectors as written: a
            // namespaceSelector names other namespaces by their labels, and a podSelector means its own namespace.
            if (!kind.equals("NetworkPolicy")) {
                requireTransformable(kind, "namespace");
            }
            ObjectNode metadata = (ObjectNode) object.get("metadata");
            if (kind.equals("Namespace")) {
                metadata.put("name", namespace);
            } else if (!CLUSTER_SCOPED_KINDS.contains(kind)) {
                metadata.put("namespace", namespace);
            }
        }
    }

    private static void applyLabels(ObjectNode kustomization, List<ObjectNode> objects, Path file) {
        JsonNode common = kustomization.get("commonLabels");
        if (common != null && !common.isNull()) {
            addLabels(objects, stringMap(common, file + " commonLabels"), true, true);
        }
        JsonNode labels = kustomization.get("labels");
        if (labels == null || labels.isNull()) {
            return;
        }
        if (!labels.isArray()) {
            throw new KustomizeException(file + ": labels must be a list");
        }
        int index = 0;
        for (JsonNode entry : labels) {
            String where = file + " labels[" + index++ + "]";
            for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!Set.of("pairs", "includeSelectors", "includeTemplates").contains(name)) {
                    throw new KustomizeException(where + ": '" + name + "' is not supported by this renderer");
                }
            }
            boolean selectors = entry.path("includeSelectors").asBoolean(false);
            boolean templates = selectors || entry.path("includeTemplates").asBoolean(false);
            addLabels(objects, stringMap(entry.get("pairs"), where + ".pairs"), selectors, templates);
        }
    }

    private static void addLabels(
            List<ObjectNode> objects, Map<String, String> labels, boolean selectors, boolean templates) {
        for (ObjectNode object : objects) {
            String kind = object.get("kind").asText();
            putAll(object.withObjectProperty("metadata").withObjectProperty("labels"), labels);
            if (!selectors && !templates) {
                continue;
            }
            requireTransformable(kind, "labels with selectors or templates");
            if (WORKLOAD_KINDS.contains(kind)) {
                ObjectNode spec = object.withObjectProperty("spec");
                if (templates) {
                    putAll(
                            spec.withObjectProperty("template")
                                    .withObjectProperty("metadata")
                                    .withObjectProperty("labels"),
                            labels);
                }
                if (selectors) {
                    putAll(spec.withObjectProperty("selector").withObjectProperty("matchLabels"), labels);
                }
            } else if (kind.equals("Service") && selectors) {
                putAll(object.withObjectProperty("spec").withObjectProperty("selector"), labels);
            }
        }
    }

    private static void requireTransformable(String kind, String transformer) {
        if (UNSUPPORTED_WITH_TRANSFORMERS.contains(kind)) {
            throw new KustomizeException(
                    "this renderer cannot apply " + transformer + " to a " + kind + " (extend KustomizeRenderer)");
        }
    }

    // -- small helpers --------------------------------------------------------------------------------

    private static void putAll(ObjectNode target, Map<String, String> values) {
        values.forEach(target::put);
    }

    private static Map<String, String> stringMap(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new KustomizeException(where + ": expected a mapping of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new KustomizeException(where + ": value of '" + e.getKey() + "' must be a string");
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return map;
    }

    private static List<String> strings(ObjectNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new KustomizeException(file + ": " + field + " must be a list");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : value) {
            if (item.getNodeType() != JsonNodeType.STRING) {
                throw new KustomizeException(file + ": " + field + " entries must be strings, found " + item);
            }
            result.add(item.asText());
        }
        return result;
    }

    private static Optional<String> textField(ObjectNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new KustomizeException(file + ": " + field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** Built-in API groups have no dot ("" core, apps, batch) or end in .k8s.io; custom resources have others. */
    private static boolean isBuiltInKind(String apiVersion) {
        String group = group(apiVersion);
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    /** The identity kustomize uses: group, kind, namespace and name. */
    static String id(ObjectNode object) {
        return group(object.get("apiVersion").asText()) + "/"
                + object.get("kind").asText() + "/"
                + object.path("metadata").path("namespace").asText("") + "/"
                + object.path("metadata").path("name").asText();
    }
}
