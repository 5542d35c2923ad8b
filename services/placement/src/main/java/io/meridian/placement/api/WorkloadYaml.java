package io.meridian.placement.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.ProblemMappers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A workload in YAML ({@code Content-Type: application/yaml}): the first document is the workload, with the fields of
 * the JSON body; every further document is one more manifest, appended after those the first lists under {@code
 * manifests}. So a workload document followed by {@code kubectl}-style manifests, or one document holding it all, are
 * the same workload.
 */
final class WorkloadYaml {

    private static final YAMLMapper YAML = YAMLMapper.builder(
                    YAMLFactory.builder().loaderOptions(loaderOptions()).build())
            .build();

    private WorkloadYaml() {}

    // Aliases are refused before anything is read (refuseAliases); the size of what is read is bounded here.
    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(0);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(4 * 1024 * 1024);
        return options;
    }

    /** The workload a YAML body describes; 400 naming the document or field when it cannot be read. */
    @SuppressWarnings("unchecked")
    static WorkloadInput read(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new ProblemException(Problem.invalid("A YAML body is required", List.of()));
        }
        refuseAliases(yaml);
        List<Object> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            var values = YAML.readValues(parser, Object.class);
            while (values.hasNextValue()) {
                Object document = values.nextValue();
                // An empty document (only a comment, or nothing between two ---) is no manifest.
                if (document != null && !"".equals(document)) {
                    documents.add(document);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw ProblemException.invalid("body", "is not valid YAML: " + firstLine(e.getMessage()));
        }
        if (documents.isEmpty()) {
            throw new ProblemException(Problem.invalid("A YAML body is required", List.of()));
        }
        if (!(documents.getFirst() instanceof Map<?, ?> first)) {
            throw ProblemException.invalid(
                    "body", "the first YAML document must be the workload (name, namespace, ...)");
        }
        if (first.containsKey("kind") && first.containsKey("apiVersion")) {
            throw ProblemException.invalid(
                    "body",
                    "the first YAML document must be the workload (name, namespace, placement, ...), not a Kubernetes"
                            + " object: put the workload first, then its manifests as further documents");
        }
        WorkloadInput input = convert(first);
        List<Map<String, Object>> manifests =
                new ArrayList<>(input.manifests() == null ? List.of() : input.manifests());
        for (int d = 1; d < documents.size(); d++) {
            if (!(documents.get(d) instanceof Map<?, ?> manifest)) {
                throw ProblemException.invalid(
                        "body", "YAML document " + (d + 1) + " must be a Kubernetes object (a mapping)");
            }
            manifests.add((Map<String, Object>) manifest);
        }
        return input.withManifests(manifests);
    }

    /**
     * Refuses anchors' aliases: the parser would hand {@code *name} on as the string "name", so a manifest using one
     * would silently say something else than its author meant.
     */
    private static void refuseAliases(String yaml) {
        try (var parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
            // Two ends in a row are the end of the stream, whether or not the parser reports the end of each document.
            for (int ends = 0; ends < 2; ) {
                if (parser.nextToken() == null) {
                    ends++;
                    continue;
                }
                ends = 0;
                if (parser.isCurrentAlias()) {
                    throw ProblemException.invalid(
                            "body",
                            "uses the YAML alias *" + abbreviate(parser.getText()) + ": anchors and aliases are not"
                                    + " supported, write the value out");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException p) {
                throw p;
            }
            throw ProblemException.invalid("body", "is not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static WorkloadInput convert(Map<?, ?> document) {
        ObjectMapper json = WorkloadInput.JSON;
        try {
            return json.convertValue(document, WorkloadInput.class);
        } catch (IllegalArgumentException e) {
            String field = e.getCause() instanceof JsonMappingException m ? ProblemMappers.pathOf(m) : "body";
            throw ProblemException.invalid(field.isEmpty() ? "body" : field, "has the wrong type or shape");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
