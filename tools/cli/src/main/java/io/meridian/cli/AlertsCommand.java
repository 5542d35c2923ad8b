package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.cli.rest.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meridian alerts list|ack}: observability's alerts. */
@Command(
        name = "alerts",
        description = "Alerts of the fleet, newest first (observability).",
        subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Acknowledge.class})
final class AlertsCommand {

    /** The most alerts one call answers: the API has no pages, only a bounded limit. */
    static final int MAX_LIMIT = 1000;

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("FINGERPRINT", "/fingerprint"),
            Output.Column.of("RULE", "/rule"),
            Output.Column.of("SEVERITY", "/severity"),
            Output.Column.of("STATE", "/state"),
            Output.Column.of("CLUSTER", "/labels/cluster"),
            Output.Column.of("SINCE", "/activeSince"),
            new Output.Column(
                    "MUTED",
                    a -> a.path("silencedBy").isEmpty() && a.path("inhibitedBy").isEmpty()
                            ? "-"
                            : !a.path("silencedBy").isEmpty() ? "silenced" : "inhibited"),
            Output.Column.of("ACK-BY", "/acknowledgedBy"),
            Output.Column.of("SUMMARY", "/annotations/summary"));

    /** {@code alerts list}. */
    @Command(name = "list", description = "List alerts, newest first.")
    static final class ListAlerts extends ApiCommands.OutputVerb {
        @Option(names = "--state", description = "pending, firing or resolved")
        String state;

        @Option(names = "--severity", description = "info, warning or critical")
        String severity;

        @Option(names = "--cluster")
        String cluster;

        @Option(names = "--alertname", description = "The rule's name.")
        String alertname;

        @Option(
                names = "--acknowledged",
                arity = "1",
                paramLabel = "true|false",
                description = "Only (un)acknowledged.")
        Boolean acknowledged;

        @Option(
                names = "--limit",
                defaultValue = "200",
                paramLabel = "N",
                description = "The N newest (default ${DEFAULT-VALUE}, at most " + MAX_LIMIT + ").")
        int limit;

        @Option(names = "--all", description = "As many as the API gives in one answer (" + MAX_LIMIT + ").")
        boolean all;

        @Override
        public void run() {
            int asked = all ? MAX_LIMIT : limit;
            Map<String, String> query = new LinkedHashMap<>();
            query.put("state", state);
            query.put("severity", severity);
            query.put("cluster", cluster);
            query.put("alertname", alertname);
            query.put("acknowledged", acknowledged == null ? null : acknowledged.toString());
            query.put("limit", String.valueOf(asked));
            List<JsonNode> items = new ArrayList<>();
            ApiCommands.api(spec).get("observability", "/api/v1/alerts", query).forEach(items::add);
            ApiCommands.printList(spec, output.format, items, COLUMNS);
            if (items.size() >= asked) {
                spec.commandLine()
                        .getErr()
                        .println("note: the " + asked + " newest alerts; there may be older ones: narrow the filters"
                                + (asked < MAX_LIMIT ? " or raise --limit" : ""));
                spec.commandLine().getErr().flush();
            }
        }
    }

    /** {@code alerts ack FINGERPRINT [--comment ..]}: someone is on it; the alert keeps its state. */
    @Command(name = "ack", description = "Acknowledge an alert: someone is on it (the alert keeps its state).")
    static final class Acknowledge extends ApiCommands.OutputVerb {
        @Parameters(paramLabel = "FINGERPRINT")
        String fingerprint;

        @Option(
                names = {"-m", "--comment"},
                description = "What is being done (at most 1024 characters).")
        String comment;

        @Override
        public void run() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            if (comment != null) {
                body.put("comment", comment);
            }
            JsonNode alert = ApiCommands.api(spec)
                    .post("observability", "/api/v1/alerts/" + ApiCommands.segment(fingerprint) + "/acknowledge", body);
            ApiCommands.printOne(spec, output.format, alert, COLUMNS);
        }
    }
}
