package io.meridian.cli;

import io.meridian.cli.rest.Output;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code meridian violations list}: policy's open violations. */
@Command(
        name = "violations",
        description = "Open policy violations across the fleet (policy).",
        subcommands = {ViolationsCommand.ListViolations.class})
final class ViolationsCommand {

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("CLUSTER", "/clusterId"),
            Output.Column.of("POLICY", "/policy"),
            Output.Column.of("SEVERITY", "/severity"),
            Output.Column.of("ACTION", "/action"),
            Output.Column.of("KIND", "/object/kind"),
            Output.Column.of("NAMESPACE", "/object/namespace"),
            Output.Column.of("NAME", "/object/name"),
            Output.Column.of("MESSAGE", "/message"));

    /** {@code violations list}: the filters of {@code GET /api/v1/compliance/violations}. */
    @Command(name = "list", description = "List open violations.")
    static final class ListViolations extends ApiCommands.OutputVerb {
        @Option(names = "--policy")
        String policy;

        @Option(names = "--cluster")
        String cluster;

        @Option(
                names = {"-n", "--namespace"},
                paramLabel = "NAMESPACE")
        String namespace;

        @Option(names = "--kind")
        String kind;

        @Option(names = "--severity", description = "low, medium, high or critical")
        String severity;

        @Option(names = "--category", description = "security, reliability, portability or cost")
        String category;

        @Mixin
        ListOptions pages;

        @Override
        public void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("policy", policy);
            query.put("cluster", cluster);
            query.put("namespace", namespace);
            query.put("kind", kind);
            query.put("severity", severity);
            query.put("category", category);
            ApiCommands.printList(
                    spec,
                    output.format,
                    pages.fetchByOffset(spec, "policy", "/api/v1/compliance/violations", query),
                    COLUMNS);
        }
    }
}
