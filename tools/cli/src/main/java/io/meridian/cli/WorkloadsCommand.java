package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.cli.rest.ApiClient;
import io.meridian.cli.rest.Manifests;
import io.meridian.cli.rest.Output;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meridian workloads list|get|apply|explain|rollback}: placement's workloads and where they run. */
@Command(
        name = "workloads",
        description = "Workloads: manifests placed on the fleet's clusters, rolled out in waves (placement).",
        subcommands = {
            WorkloadsCommand.ListWorkloads.class,
            WorkloadsCommand.GetWorkload.class,
            WorkloadsCommand.ApplyWorkload.class,
            WorkloadsCommand.Explain.class,
            WorkloadsCommand.Rollback.class
        })
final class WorkloadsCommand {

    static final String PATH = "/api/v1/workloads";

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("NAME", "/name"),
            Output.Column.of("NAMESPACE", "/namespace"),
            Output.Column.of("GENERATION", "/generation"),
            Output.Column.of("REACHES-PROD", "/reachesProd"),
            Output.Column.of("UPDATED-BY", "/updatedBy"),
            Output.Column.of("UPDATED", "/updatedAt"));

    /** The rows of {@code explain}: one per cluster, chosen first, as the decision lists them. */
    static final List<Output.Column> PLACEMENT = List.of(
            Output.Column.of("CLUSTER", "/cluster"),
            Output.Column.of("RESULT", "/result"),
            Output.Column.of("REPLICAS", "/replicas"),
            Output.Column.of("SCORE", "/score"),
            Output.Column.of("COST/MONTH", "/cost"),
            Output.Column.of("REASON", "/reason"),
            Output.Column.of("DETAIL", "/detail"));

    static String path(String name) {
        return PATH + "/" + ApiCommands.segment(name);
    }

    /** {@code workloads list [--namespace]}. */
    @Command(name = "list", description = "List workloads.")
    static final class ListWorkloads extends ApiCommands.OutputVerb {
        @Option(
                names = {"-n", "--namespace"},
                paramLabel = "NAMESPACE")
        String namespace;

        @Mixin
        ListOptions pages;

        @Override
        public void run() {
            Map<String, String> query = new java.util.LinkedHashMap<>();
            query.put("namespace", namespace);
            ApiCommands.printList(spec, output.format, pages.fetch(spec, "placement", PATH, query), COLUMNS);
        }
    }

    /** {@code workloads get NAME [--watch]}. */
    @Command(name = "get", description = "One workload; --watch prints it again whenever it changes.")
    static final class GetWorkload extends ApiCommands.OutputVerb {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = {"-w", "--watch"},
                description = "Poll and print the workload again whenever it changes.")
        boolean watch;

        @Option(names = "--interval", defaultValue = "PT2S", description = "Poll interval of --watch (ISO duration).")
        Duration interval;

        @Override
        public void run() {
            ApiCommands.getAndWatch(spec, "placement", path(name), output.format, COLUMNS, watch, interval);
        }
    }

    /**
     * {@code workloads apply -f FILE}: POST when no workload of that name exists, else PUT (a new generation). The file
     * goes as written: in YAML, the first document is the workload and every further one a manifest.
     */
    @Command(
            name = "apply",
            description = "Create a workload, or replace it (a new generation) when it exists, from JSON or YAML.")
    static final class ApplyWorkload extends ApiCommands.OutputVerb {
        @Option(
                names = {"-f", "--filename"},
                required = true,
                paramLabel = "FILE",
                description = "The workload; in YAML, further documents are more manifests; - reads standard input.")
        String file;

        @Override
        public void run() {
            String text =
                    Manifests.text(file, MeridianCommand.of(spec).environment().stdin());
            String name = Manifests.firstDocument(text, Manifests.source(file))
                    .path("name")
                    .asText("");
            if (name.isBlank()) {
                throw new CliException(
                        Manifests.source(file) + " has no name: apply needs it to know whether to create or replace");
            }
            ApiClient.Payload body =
                    new ApiClient.Payload(text, Manifests.isJson(text) ? "application/json" : "application/yaml");
            ApiClient api = ApiCommands.api(spec);
            boolean exists = api.find("placement", path(name)).isPresent();
            JsonNode applied = exists
                    ? api.send("placement", "PUT", path(name), Map.of(), body)
                    : api.send("placement", "POST", PATH, Map.of(), body);
            ApiCommands.printApplied(spec, output.format, "workload", name, exists, applied, COLUMNS);
        }
    }

    /** {@code workloads explain NAME}: where it runs and why not elsewhere, and how its rollout stands. */
    @Command(
            name = "explain",
            description = "Where a workload runs: chosen clusters, every rejected one with its reason, the rollout.")
    static final class Explain extends ApiCommands.OutputVerb {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            JsonNode view = ApiCommands.api(spec).get("placement", path(name) + "/placement", Map.of());
            List<JsonNode> rows = rows(view);
            if (output.format != Output.Format.table) {
                Output.print(spec.commandLine().getOut(), output.format, view, rows, PLACEMENT);
                return;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (!view.path("decided").asBoolean()) {
                out.println("workload " + name + " (generation "
                        + view.path("generation").asText() + "): no placement decided yet");
                out.flush();
                return;
            }
            out.println("workload " + name + "  generation "
                    + view.path("generation").asText() + "  decided "
                    + view.path("decidedAt").asText("-") + " for generation "
                    + view.path("decisionGeneration").asText() + "  monthly cost "
                    + money(view.path("monthlyCost")) + " "
                    + view.path("currency").asText(""));
            JsonNode rollout = view.path("rollout");
            if (rollout.isObject()) {
                out.println("rollout " + rollout.path("phase").asText("-") + ": "
                        + rollout.path("wavesCompleted").asInt() + " of "
                        + rollout.path("waves").size()
                        + " waves done"
                        + (rollout.path("haltedCluster").isTextual()
                                ? ", halted at " + rollout.path("haltedCluster").asText() + ": "
                                        + rollout.path("haltReason").asText("")
                                : ""));
            }
            out.println();
            out.print(Output.table(rows, PLACEMENT));
            if (!view.path("unmetSpread").isEmpty()) {
                out.println("unmet spread: " + String.join("; ", texts(view.path("unmetSpread"))));
            }
            if (view.path("degraded").asBoolean()) {
                out.println("degraded: fewer clusters than the placement asks for");
            }
            JsonNode suppressed = view.path("suppressed");
            if (suppressed.isObject()) {
                out.println(
                        "failover suppressed since " + suppressed.path("since").asText("-") + ": "
                                + suppressed.path("reason").asText("") + " (unreachable: "
                                + String.join(",", texts(suppressed.path("unreachableClusters")))
                                + ")");
            }
            out.flush();
        }

        /** Chosen clusters, then rejected ones, as rows of one table. */
        static List<JsonNode> rows(JsonNode view) {
            List<JsonNode> rows = new ArrayList<>();
            for (JsonNode chosen : view.path("chosen")) {
                ObjectNode row = JsonNodeFactory.instance.objectNode();
                row.put("cluster", chosen.path("clusterId").asText());
                row.put("result", "chosen");
                row.put("replicas", chosen.path("replicas").asText());
                row.put(
                        "score",
                        String.format(Locale.ROOT, "%.2f", chosen.path("score").asDouble()));
                row.put("cost", money(chosen.path("monthlyCost")));
                rows.add(row);
            }
            for (JsonNode rejected : view.path("rejected")) {
                ObjectNode row = JsonNodeFactory.instance.objectNode();
                row.put("cluster", rejected.path("clusterId").asText());
                row.put("result", "rejected");
                row.put("reason", rejected.path("reason").asText());
                row.put("detail", rejected.path("detail").asText());
                rows.add(row);
            }
            return rows;
        }

        private static String money(JsonNode value) {
            return value.isNumber() ? String.format(Locale.ROOT, "%.2f", value.asDouble()) : "-";
        }

        private static List<String> texts(JsonNode array) {
            List<String> texts = new ArrayList<>();
            array.forEach(v -> texts.add(v.asText()));
            return texts;
        }
    }

    /** {@code workloads rollback NAME}: a new generation with the content of the one before, rolled out as usual. */
    @Command(
            name = "rollback",
            description = "Roll back: a new generation with the content of the one before the current one.")
    static final class Rollback extends ApiCommands.OutputVerb {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            JsonNode workload = ApiCommands.api(spec).post("placement", path(name) + "/rollback", null);
            if (output.format == Output.Format.table) {
                ApiCommands.say(
                        spec,
                        "workload " + name + " rolled back: generation "
                                + workload.path("generation").asText() + " rolls out the previous content");
            } else {
                ApiCommands.printOne(spec, output.format, workload, COLUMNS);
            }
        }
    }
}
