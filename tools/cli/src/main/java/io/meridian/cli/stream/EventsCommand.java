package io.meridian.cli.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.cli.CliException;
import io.meridian.cli.MeridianCommand;
import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.Topic;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meridian events tail <topic>}: any fleet topic of the catalog, as its subscribers will consume it. */
@Command(
        name = "events",
        description = "The CloudEvents of a fleet topic, read straight from Kafka.",
        subcommands = EventsCommand.Tail.class)
public final class EventsCommand {

    static final String TABLE = "%-24s %-48s %-40s %s%n";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code events tail <topic> [--from ..] [--follow] [--key ..] [-o table|json]}. */
    @Command(name = "tail", description = "Print the events of one topic in time order.")
    static final class Tail implements Runnable {

        @Spec
        CommandSpec spec;

        @Mixin
        TailOptions options;

        @Parameters(paramLabel = "TOPIC", description = "A topic of the catalog, e.g. fleet.alerts.v1.")
        String topic;

        @Option(names = "--key", paramLabel = "KEY", description = "Only records with this key.")
        String key;

        @Override
        public void run() {
            Topic catalogTopic = Topic.byName(topic)
                    .orElseThrow(() -> new CliException("unknown topic '" + topic + "'; Meridian's topics: "
                            + Arrays.stream(Topic.values())
                                    .map(Topic::topicName)
                                    .collect(Collectors.joining(", "))));
            MeridianCommand root = MeridianCommand.of(spec);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (options.output == TailOptions.Output.table) {
                out.printf(TABLE, "TIME", "TYPE", "KEY", "SUBJECT");
                out.flush();
            }
            new TopicTail(
                            root.context().kafka().clientProperties(),
                            List.of(catalogTopic.topicName()),
                            StartPoint.parse(options.from, root.environment().clock()),
                            options.follow)
                    .run(
                            record -> {
                                if (key == null || key.equals(record.key())) {
                                    print(record, out, err);
                                }
                            },
                            () -> false);
        }

        private void print(TailedRecord record, PrintWriter out, PrintWriter err) {
            if (record.unreadable() != null) {
                err.println("warning: " + record.topic() + "/" + record.partition() + "@" + record.offset()
                        + " is not a CloudEvent: " + record.unreadable());
                err.flush();
                return;
            }
            CloudEvent event = record.event();
            switch (options.output) {
                case table ->
                    out.printf(
                            TABLE,
                            event != null ? event.time().toInstant() : Instant.ofEpochMilli(record.timestamp()),
                            event != null ? event.type() : "(tombstone)",
                            Objects.toString(record.key(), "-"),
                            event != null ? Objects.toString(event.subject(), "-") : "-");
                case json -> out.println(json(record));
            }
            out.flush();
        }
    }

    /** One line of {@code -o json}: where the record was, its CloudEvent attributes and its data as JSON. */
    static String json(TailedRecord record) {
        ObjectNode node = JSON.createObjectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("key", record.key());
        CloudEvent event = record.event();
        if (event == null) {
            node.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
            node.putNull("data");
        } else {
            node.put("id", event.id());
            node.put("type", event.type());
            node.put("source", event.source().toString());
            node.put("subject", event.subject());
            node.put("time", event.time().toString());
            node.set("data", data(event.data()));
        }
        return node.toString();
    }

    private static JsonNode data(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException notJson) {
            return JSON.getNodeFactory().textNode(new String(data, StandardCharsets.UTF_8));
        }
    }
}
