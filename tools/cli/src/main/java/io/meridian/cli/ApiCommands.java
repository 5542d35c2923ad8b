package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.cli.auth.AccessTokens;
import io.meridian.cli.rest.ApiClient;
import io.meridian.cli.rest.Manifests;
import io.meridian.cli.rest.Output;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every REST verb of the CLI does the same way: the client of the run's context, bodies, output. */
final class ApiCommands {

    private ApiCommands() {}

    /** {@code -o table|json|yaml} of every REST verb. */
    static final class OutputOption {
        @Option(
                names = {"-o", "--output"},
                defaultValue = "table",
                description = "table, json or yaml")
        Output.Format format;
    }

    /**
     * A verb that prints an API answer: its spec and {@code -o}, declared once here since picocli reads annotated
     * fields of superclasses as its own.
     */
    abstract static class OutputVerb implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;
    }

    /** The API client of the context this run uses, with its cached (and refreshed) token. */
    static ApiClient api(CommandSpec spec) {
        MeridianCommand root = MeridianCommand.of(spec);
        String name = root.contextName();
        var context = root.context();
        return new ApiClient(context, new AccessTokens(name, context, root.tokens(), root.environment()));
    }

    /** The body of {@code -f FILE}, {@code -f -} being the run's standard input. */
    static JsonNode body(CommandSpec spec, String file) {
        return Manifests.read(file, MeridianCommand.of(spec).environment().stdin());
    }

    /** One path segment, encoded: names and ids come from the user. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void printOne(CommandSpec spec, Output.Format format, JsonNode item, List<Output.Column> columns) {
        Output.print(spec.commandLine().getOut(), format, item, List.of(item), columns);
    }

    static void printList(CommandSpec spec, Output.Format format, List<JsonNode> items, List<Output.Column> columns) {
        Output.printList(spec.commandLine().getOut(), format, items, columns);
    }

    /**
     * GET {@code path} and print it; with {@code watch}, poll every {@code interval} and print it again whenever it
     * changed: like kubectl --watch, a table prints its header once and then a row per change. Ends with the first
     * error (a deleted object's 404 included).
     */
    static void getAndWatch(
            CommandSpec spec,
            String service,
            String path,
            Output.Format format,
            List<Output.Column> columns,
            boolean watch,
            Duration interval) {
        ApiClient api = api(spec);
        JsonNode last = null;
        do {
            JsonNode item = api.get(service, path, Map.of());
            if (!item.equals(last)) {
                if (last != null && format == Output.Format.table) {
                    String table = Output.table(List.of(item), columns);
                    spec.commandLine().getOut().print(table.substring(table.indexOf('\n') + 1));
                    spec.commandLine().getOut().flush();
                } else {
                    printOne(spec, format, item, columns);
                }
                last = item;
            }
            if (watch) {
                try {
                    MeridianCommand.of(spec).environment().sleeper().sleep(interval);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } while (watch);
    }

    /** GET a list the API answers whole, without pages, and print it. */
    static void printWholeList(
            CommandSpec spec, Output.Format format, String service, String path, List<Output.Column> columns) {
        List<JsonNode> items = new ArrayList<>();
        api(spec).get(service, path, Map.of()).forEach(items::add);
        printList(spec, format, items, columns);
    }

    /** GET one object and print it. */
    static void getOne(
            CommandSpec spec, Output.Format format, String service, String path, List<Output.Column> columns) {
        printOne(spec, format, api(spec).get(service, path, Map.of()), columns);
    }

    /** POST the body of {@code -f FILE} and print what the API created. */
    static void create(
            CommandSpec spec,
            Output.Format format,
            String service,
            String path,
            String file,
            List<Output.Column> columns) {
        printOne(spec, format, api(spec).post(service, path, body(spec, file)), columns);
    }

    /** DELETE {@code path} and confirm it with {@code line}. */
    static void delete(CommandSpec spec, String service, String path, String line) {
        api(spec).delete(service, path);
        say(spec, line);
    }

    /**
     * The answer of an apply: a table run reads one line saying whether {@code kind name} was created or replaced and
     * its new generation; JSON and YAML get the whole object for scripts.
     */
    static void printApplied(
            CommandSpec spec,
            Output.Format format,
            String kind,
            String name,
            boolean exists,
            JsonNode applied,
            List<Output.Column> columns) {
        if (format == Output.Format.table) {
            say(
                    spec,
                    kind + " " + name + (exists ? " replaced" : " created") + " (generation "
                            + applied.path("generation").asText("?") + ")");
        } else {
            printOne(spec, format, applied, columns);
        }
    }

    /** A one-line confirmation of a write whose answer has nothing more to show. */
    static void say(CommandSpec spec, String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }

    /** A column of the values of a JSON object or array, joined: labels as k=v, lists by commas; "-" when empty. */
    static Output.Column joined(String header, String pointer) {
        return new Output.Column(header, item -> {
            JsonNode value = item.at(pointer);
            StringBuilder text = new StringBuilder();
            if (value.isObject()) {
                value.properties()
                        .forEach(e -> text.append(text.isEmpty() ? "" : ",")
                                .append(e.getKey())
                                .append('=')
                                .append(e.getValue().asText()));
            } else if (value.isArray()) {
                value.forEach(v -> text.append(text.isEmpty() ? "" : ",").append(v.asText()));
            } else if (!value.isMissingNode() && !value.isNull()) {
                text.append(value.asText());
            }
            return text.isEmpty() ? "-" : text.toString();
        });
    }
}
