package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.cli.rest.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meridian silences list|create|expire}: observability's silences, in amtool's matcher syntax. */
@Command(
        name = "silences",
        description = "Silences: alerts matching label matchers are muted until an end (observability).",
        subcommands = {SilencesCommand.ListSilences.class, SilencesCommand.Create.class, SilencesCommand.Expire.class})
final class SilencesCommand {

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("ID", "/id"),
            new Output.Column("MATCHERS", SilencesCommand::matchers),
            Output.Column.of("STATUS", "/status"),
            Output.Column.of("STARTS", "/startsAt"),
            Output.Column.of("ENDS", "/endsAt"),
            Output.Column.of("BY", "/createdBy"),
            Output.Column.of("COMMENT", "/comment"));

    static String matchers(JsonNode silence) {
        String text = StreamSupport.stream(silence.path("matchers").spliterator(), false)
                .map(m -> m.path("label").asText()
                        + m.path("op").asText()
                        + m.path("value").asText())
                .collect(Collectors.joining(","));
        return text.isEmpty() ? "-" : text;
    }

    /** {@code label=value}, {@code label!=value}, {@code label=~regex} or {@code label!~regex}, as the API's matcher. */
    static ObjectNode matcher(String text) {
        int at = 0;
        while (at < text.length() && text.charAt(at) != '=' && text.charAt(at) != '!') {
            at++;
        }
        String rest = text.substring(at);
        String op = rest.startsWith("!=")
                ? "!="
                : rest.startsWith("!~") ? "!~" : rest.startsWith("=~") ? "=~" : rest.startsWith("=") ? "=" : null;
        if (at == 0 || op == null) {
            throw new CliException(
                    "'" + text + "' is not a matcher: LABEL=VALUE, LABEL!=VALUE, LABEL=~REGEX or" + " LABEL!~REGEX");
        }
        return JsonNodeFactory.instance
                .objectNode()
                .put("label", text.substring(0, at))
                .put("op", op)
                .put("value", rest.substring(op.length()));
    }

    /** {@code silences list [--expired]}. */
    @Command(name = "list", description = "List silences in effect or pending; --expired adds the ended ones.")
    static final class ListSilences extends ApiCommands.OutputVerb {
        @Option(names = "--expired", description = "Also the silences that have ended.")
        boolean expired;

        @Override
        public void run() {
            List<JsonNode> items = new ArrayList<>();
            ApiCommands.api(spec)
                    .get("observability", "/api/v1/silences", Map.of("expired", String.valueOf(expired)))
                    .forEach(items::add);
            ApiCommands.printList(spec, output.format, items, COLUMNS);
        }
    }

    /** How a new silence is given: matchers on the command line, or a whole request in a file. */
    static final class Source {
        @Parameters(paramLabel = "MATCHER", arity = "1..*", description = "e.g. alertname=ClusterDown cluster=~aws-.*")
        List<String> matchers;

        @Option(
                names = {"-f", "--filename"},
                paramLabel = "FILE",
                description = "The request (matchers, startsAt, endsAt or duration, comment); - reads standard input.")
        String file;
    }

    /** {@code silences create MATCHER... [--duration 2h | --ends-at T] [--comment ..]} or {@code -f FILE}. */
    @Command(name = "create", description = "Create a silence from matchers (or -f FILE).")
    static final class Create extends ApiCommands.OutputVerb {
        @ArgGroup(multiplicity = "1")
        Source source;

        @Option(names = "--duration", description = "How long from the start, e.g. 2h or 30m (the service parses it).")
        String duration;

        @Option(names = "--starts-at", paramLabel = "TIME", description = "RFC 3339; now when left out.")
        String startsAt;

        @Option(names = "--ends-at", paramLabel = "TIME", description = "RFC 3339, instead of --duration.")
        String endsAt;

        @Option(
                names = {"-m", "--comment"},
                description = "Why (shown to whoever wonders why an alert is quiet).")
        String comment;

        @Override
        public void run() {
            JsonNode body;
            if (source.file != null) {
                body = ApiCommands.body(spec, source.file);
            } else {
                ObjectNode request = JsonNodeFactory.instance.objectNode();
                ArrayNode list = request.putArray("matchers");
                source.matchers.forEach(m -> list.add(matcher(m)));
                putIfSet(request, "startsAt", startsAt);
                putIfSet(request, "endsAt", endsAt);
                putIfSet(request, "duration", duration);
                putIfSet(request, "comment", comment);
                body = request;
            }
            JsonNode silence = ApiCommands.api(spec).post("observability", "/api/v1/silences", body);
            ApiCommands.printOne(spec, output.format, silence, COLUMNS);
        }

        private static void putIfSet(ObjectNode node, String field, String value) {
            if (value != null) {
                node.put(field, value);
            }
        }
    }

    /** {@code silences expire ID}: ends it now. */
    @Command(name = "expire", description = "Expire a silence now; muted alerts are announced at the next evaluation.")
    static final class Expire extends ApiCommands.OutputVerb {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            JsonNode silence =
                    ApiCommands.api(spec).delete("observability", "/api/v1/silences/" + ApiCommands.segment(id));
            ApiCommands.printOne(spec, output.format, silence, COLUMNS);
        }
    }
}
