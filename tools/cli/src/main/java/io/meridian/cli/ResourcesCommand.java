package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.cli.rest.Output;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meridian resources search}: the objects inventory observed across the fleet. */
@Command(
        name = "resources",
        description = "Objects observed on the fleet's clusters (inventory).",
        subcommands = {ResourcesCommand.Search.class})
final class ResourcesCommand {

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("CLUSTER", "/clusterId"),
            Output.Column.of("KIND", "/kind"),
            Output.Column.of("NAMESPACE", "/namespace"),
            Output.Column.of("NAME", "/name"),
            Output.Column.of("PHASE", "/status/phase"),
            new Output.Column("READY", ResourcesCommand::ready),
            new Output.Column("IMAGES", ResourcesCommand::images));

    /** {@code 2/3} for a workload with replicas, else its ready flag. */
    static String ready(JsonNode item) {
        JsonNode status = item.path("status");
        if (status.path("replicas").isNumber()) {
            return status.path("readyReplicas").asInt(0) + "/"
                    + status.path("replicas").asInt();
        }
        return status.path("ready").isBoolean() ? status.path("ready").asText() : "-";
    }

    static String images(JsonNode item) {
        String images = StreamSupport.stream(item.path("containers").spliterator(), false)
                .map(c -> c.path("image").asText())
                .filter(i -> !i.isEmpty())
                .distinct()
                .collect(Collectors.joining(","));
        return images.isEmpty() ? "-" : images;
    }

    /** {@code resources search}: the filters of {@code GET /api/v1/resources}. */
    @Command(name = "search", description = "Search observed objects across the fleet.")
    static final class Search implements Runnable {
        @Spec
        CommandSpec spec;

        // Not ApiCommands.OutputVerb: this usage has always read -o=<output>, the shared one reads <format>.
        @Option(
                names = {"-o", "--output"},
                defaultValue = "table",
                description = "table, json or yaml")
        Output.Format output;

        @Option(names = "--cluster")
        String cluster;

        @Option(names = "--cloud")
        String cloud;

        @Option(names = "--kind")
        String kind;

        @Option(
                names = {"-n", "--namespace"},
                paramLabel = "NAMESPACE")
        String namespace;

        @Option(
                names = {"-l", "--label", "--selector"},
                paramLabel = "SELECTOR",
                description = "Label selector, e.g. app=web,tier!=cache")
        String selector;

        @Option(names = "--image", description = "Image glob: * any run, ? one character (nginx:*, *:latest).")
        String image;

        @Option(names = "--name", description = "Text the object's name contains.")
        String text;

        @Mixin
        ListOptions pages;

        @Override
        public void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("cluster", cluster);
            query.put("cloud", cloud);
            query.put("kind", kind);
            query.put("namespace", namespace);
            query.put("labelSelector", selector);
            query.put("image", image);
            query.put("q", text);
            ApiCommands.printList(spec, output, pages.fetch(spec, "inventory", "/api/v1/resources", query), COLUMNS);
        }
    }
}
