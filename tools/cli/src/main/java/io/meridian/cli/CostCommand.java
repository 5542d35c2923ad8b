package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.cli.rest.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meridian cost allocation|recommendations|budgets}: what the fleet costs and how to spend less (cost). */
@Command(
        name = "cost",
        description = "Cost allocation, recommendations and budgets (cost).",
        subcommands = {CostCommand.Allocation.class, CostCommand.Recommendations.class, CostCommand.Budgets.class})
final class CostCommand {

    /** A money cell: two decimals, whatever the locale, so that columns line up and scripts can read them. */
    static Output.Column money(String header, String pointer) {
        return new Output.Column(header, item -> {
            JsonNode value = item.at(pointer);
            return value.isNumber() ? String.format(Locale.ROOT, "%.2f", value.asDouble()) : "-";
        });
    }

    static final List<Output.Column> ALLOCATION = List.of(
            Output.Column.of("NAME", "/name"),
            money("CPU", "/cost/cpuCost"),
            money("RAM", "/cost/ramCost"),
            money("GPU", "/cost/gpuCost"),
            money("PV", "/cost/pvCost"),
            money("NETWORK", "/cost/networkCost"),
            money("SHARED", "/cost/sharedCost"),
            money("IDLE", "/cost/idleCost"),
            money("TOTAL", "/cost/totalCost"));

    static final List<Output.Column> RECOMMENDATIONS = List.of(
            Output.Column.of("KIND", "/kind"),
            Output.Column.of("TARGET", "/target"),
            Output.Column.of("CLUSTER", "/cluster"),
            money("SAVINGS/MONTH", "/monthlySavings"),
            Output.Column.of("SUMMARY", "/summary"));

    static final List<Output.Column> BUDGETS = List.of(
            Output.Column.of("ID", "/id"),
            Output.Column.of("NAME", "/name"),
            Output.Column.of("SCOPE", "/scope"),
            money("MONTHLY", "/monthlyAmount"),
            Output.Column.of("CURRENCY", "/currency"),
            money("SPEND", "/spendToDate"),
            money("FORECAST", "/forecast"),
            new Output.Column(
                    "USED",
                    b -> b.path("percentUsed").isNumber()
                            ? String.format(
                                    Locale.ROOT, "%.0f%%", b.path("percentUsed").asDouble())
                            : "-"),
            ApiCommands.joined("CROSSED", "/crossed"));

    /** {@code cost allocation}: a line naming the window and currency, a row per group, then the total. */
    @Command(name = "allocation", description = "Allocated cost of a window, grouped by one aggregate.")
    static final class Allocation extends ApiCommands.OutputVerb {
        @Option(
                names = "--window",
                paramLabel = "WINDOW",
                description = "6h, 7d, today, yesterday, month, or START,END (RFC 3339); the service's default is 24h.")
        String window;

        @Option(
                names = "--aggregate",
                paramLabel = "BY",
                description = "cloud, cluster, namespace, workload or label:KEY; the service's default is cluster.")
        String aggregate;

        @Override
        public void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("window", window);
            query.put("aggregate", aggregate);
            JsonNode report = ApiCommands.api(spec).get("cost", "/api/v1/allocation", query);
            List<JsonNode> rows = new ArrayList<>();
            report.path("items").forEach(rows::add);
            // The total is what a person reads first; the table ends with it, as the report carries it.
            ObjectNode total = JsonNodeFactory.instance.objectNode().put("name", "TOTAL");
            total.set("cost", report.path("total"));
            rows.add(total);
            if (output.format == Output.Format.table) {
                ApiCommands.say(
                        spec,
                        "# " + report.path("aggregate").asText() + " from "
                                + report.path("start").asText()
                                + " to " + report.path("end").asText() + ", in "
                                + report.path("currency").asText());
            }
            Output.print(spec.commandLine().getOut(), output.format, report, rows, ALLOCATION);
        }
    }

    /** {@code cost recommendations}: largest savings first, as the service orders them. */
    @Command(name = "recommendations", description = "Right-sizing, cheaper cloud, co-location, idle workloads.")
    static final class Recommendations extends ApiCommands.OutputVerb {
        @Option(names = "--hours", description = "Look at the last N hours (the service's default is 24).")
        Integer hours;

        @Option(names = "--kind", description = "rightsize, cheaper-cloud, colocate, idle-workload or underused-node")
        String kind;

        @Override
        public void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("hours", hours == null ? null : hours.toString());
            query.put("kind", kind);
            JsonNode report = ApiCommands.api(spec).get("cost", "/api/v1/recommendations", query);
            List<JsonNode> rows = new ArrayList<>();
            report.path("items").forEach(rows::add);
            Output.print(spec.commandLine().getOut(), output.format, report, rows, RECOMMENDATIONS);
            if (output.format == Output.Format.table) {
                ApiCommands.say(
                        spec,
                        "# together "
                                + String.format(
                                        Locale.ROOT,
                                        "%.2f",
                                        report.path("totalMonthlySavings").asDouble())
                                + " " + report.path("currency").asText() + " a month");
            }
        }
    }

    /** {@code cost budgets}: lists them; {@code create -f} and {@code delete ID} change them. */
    @Command(
            name = "budgets",
            description = "Monthly budgets with spend to date and forecast.",
            subcommands = {Budgets.CreateBudget.class, Budgets.DeleteBudget.class})
    static final class Budgets extends ApiCommands.OutputVerb {
        @Override
        public void run() {
            ApiCommands.printWholeList(spec, output.format, "cost", "/api/v1/budgets", BUDGETS);
        }

        /** {@code cost budgets create -f FILE}. */
        @Command(
                name = "create",
                description = "Create a budget: name, scope (label:team=payments, cluster:NAME, cloud:aws),"
                        + " monthlyAmount.")
        static final class CreateBudget extends ApiCommands.OutputVerb {
            @Option(
                    names = {"-f", "--filename"},
                    required = true,
                    paramLabel = "FILE",
                    description = "The budget; - reads standard input.")
            String file;

            @Override
            public void run() {
                ApiCommands.create(spec, output.format, "cost", "/api/v1/budgets", file, BUDGETS);
            }
        }

        /** {@code cost budgets delete ID}. */
        @Command(name = "delete", description = "Delete a budget.")
        static final class DeleteBudget implements Runnable {
            @Spec
            CommandSpec spec;

            @Parameters(paramLabel = "ID")
            String id;

            @Override
            public void run() {
                ApiCommands.delete(
                        spec, "cost", "/api/v1/budgets/" + ApiCommands.segment(id), "budget " + id + " deleted");
            }
        }
    }
}
