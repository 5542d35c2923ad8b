package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.cli.rest.ApiClient;
import io.meridian.cli.rest.Output;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meridian clusters list|get|register|label|deregister}: inventory's cluster registry. */
@Command(
        name = "clusters",
        description = "The clusters of the fleet (inventory).",
        subcommands = {
            ClustersCommand.ListClusters.class,
            ClustersCommand.GetCluster.class,
            ClustersCommand.RegisterCluster.class,
            ClustersCommand.LabelCluster.class,
            ClustersCommand.DeregisterCluster.class
        })
final class ClustersCommand {

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("NAME", "/name"),
            Output.Column.of("CLOUD", "/cloud"),
            Output.Column.of("REGION", "/region"),
            Output.Column.of("ENVIRONMENT", "/environment"),
            Output.Column.of("PHASE", "/status/phase"),
            Output.Column.of("NODES", "/status/nodeCount"),
            Output.Column.of("VERSION", "/status/kubernetesVersion"));

    /** {@code clusters list}: every page, filtered as the API filters. */
    @Command(name = "list", description = "List clusters (every page).")
    static final class ListClusters implements Runnable {
        @Spec
        CommandSpec spec;

        // Not ApiCommands.OutputVerb: this usage has always read -o=<output>, the shared one reads <format>.
        @Option(
                names = {"-o", "--output"},
                defaultValue = "table",
                description = "table, json or yaml")
        Output.Format output;

        @Option(names = "--cloud")
        String cloud;

        @Option(names = "--region")
        String region;

        @Option(names = "--environment")
        String environment;

        @Option(names = "--phase")
        String phase;

        @Option(
                names = {"-l", "--selector"},
                paramLabel = "SELECTOR",
                description = "Label selector, e.g. team=payments")
        String selector;

        @Mixin
        ListOptions pages;

        @Override
        public void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("cloud", cloud);
            query.put("region", region);
            query.put("environment", environment);
            query.put("phase", phase);
            query.put("labelSelector", selector);
            ApiCommands.printList(spec, output, pages.fetch(spec, "inventory", "/api/v1/clusters", query), COLUMNS);
        }
    }

    /** {@code clusters get NAME [--watch]}. */
    @Command(name = "get", description = "One cluster with its observed status; --watch prints each change.")
    static final class GetCluster implements Runnable {
        @Spec
        CommandSpec spec;

        // Not ApiCommands.OutputVerb: this usage has always read -o=<output>, the shared one reads <format>.
        @Option(
                names = {"-o", "--output"},
                defaultValue = "table",
                description = "table, json or yaml")
        Output.Format output;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = {"-w", "--watch"},
                description = "Poll and print the cluster again whenever it changes.")
        boolean watch;

        @Option(names = "--interval", defaultValue = "PT2S", description = "Poll interval of --watch (ISO duration).")
        Duration interval;

        @Override
        public void run() {
            ApiCommands.getAndWatch(spec, "inventory", path(name), output, COLUMNS, watch, interval);
        }
    }

    static String path(String name) {
        return "/api/v1/clusters/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /** {@code clusters register -f FILE}: the registration body (name, cloud, region, credentials ...). */
    @Command(name = "register", description = "Register a cluster from a JSON or YAML registration (-f - for stdin).")
    static final class RegisterCluster implements Runnable {
        @Spec
        CommandSpec spec;

        // Not ApiCommands.OutputVerb: this usage has always read -o=<output>, the shared one reads <format>.
        @Option(
                names = {"-o", "--output"},
                defaultValue = "table",
                description = "table, json or yaml")
        Output.Format output;

        @Option(
                names = {"-f", "--filename"},
                required = true,
                paramLabel = "FILE",
                description = "The registration: name, cloud, region, environment, labels, credentials.")
        String file;

        @Override
        public void run() {
            // Not ApiCommands.create: register has always read the file before resolving the context.
            JsonNode body = ApiCommands.body(spec, file);
            JsonNode cluster = ApiCommands.api(spec).post("inventory", "/api/v1/clusters", body);
            ApiCommands.printOne(spec, output, cluster, COLUMNS);
        }
    }

    /** {@code clusters label NAME k=v k-}: like kubectl label, on inventory's label set. */
    @Command(name = "label", description = "Set (k=v) or remove (k-) labels of a cluster.")
    static final class LabelCluster implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE|KEY-")
        List<String> changes;

        @Override
        public void run() {
            ApiClient api = ApiCommands.api(spec);
            // The API replaces the whole label set, so the change is applied to the labels as they are now.
            JsonNode cluster = api.get("inventory", path(name), Map.of());
            Map<String, String> labels = new LinkedHashMap<>();
            cluster.path("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            for (String change : changes) {
                if (change.endsWith("-") && !change.contains("=")) {
                    labels.remove(change.substring(0, change.length() - 1));
                } else if (change.indexOf('=') > 0) {
                    labels.put(change.substring(0, change.indexOf('=')), change.substring(change.indexOf('=') + 1));
                } else {
                    throw new CliException("'" + change + "' is neither KEY=VALUE nor KEY-");
                }
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ObjectNode labelNode = body.putObject("labels");
            labels.forEach(labelNode::put);
            JsonNode changed = api.patch("inventory", path(name), body);
            ApiCommands.say(spec, "cluster " + name + " labeled: " + changed.path("labels"));
        }
    }

    /** {@code clusters deregister NAME}. */
    @Command(name = "deregister", description = "Deregister a cluster: inventory disconnects, consumers forget it.")
    static final class DeregisterCluster implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            ApiCommands.delete(spec, "inventory", path(name), "cluster " + name + " deregistered");
        }
    }
}
