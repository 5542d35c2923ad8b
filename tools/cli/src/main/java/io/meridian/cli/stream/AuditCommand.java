package io.meridian.cli.stream;

import io.meridian.cli.CliException;
import io.meridian.cli.MeridianCommand;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.kafka.UnreadableEventException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meridian audit tail}: the ops team's audit trail, read from every service's audit topic. */
@Command(
        name = "audit",
        description = "The audit trail of every mutation and cluster write, read straight from Kafka.",
        subcommands = AuditCommand.Tail.class)
public final class AuditCommand {

    static final String TABLE = "%-24s %-13s %-20s %-30s %-36s %-16s %s%n";

    /** {@code audit tail [--follow] [--from ..] [--actor ..] [--cluster ..] [--action ..] [-o table|json]}. */
    @Command(
            name = "tail",
            description = "Print audit records of every service in time order; filters combine with AND.")
    static final class Tail implements Runnable {

        @Spec
        CommandSpec spec;

        @Mixin
        TailOptions options;

        @Option(names = "--actor", paramLabel = "NAME", description = "Only this actor (user or service name).")
        String actor;

        @Option(names = "--cluster", paramLabel = "ID", description = "Only records whose target is on this cluster.")
        String cluster;

        @Option(
                names = "--action",
                paramLabel = "ACTION",
                description = "Only this action; * matches any text (e.g. 'grant.*').")
        String action;

        @Option(
                names = "--service",
                paramLabel = "SERVICE",
                description = "Only the audit topic of this service (inventory, identity, policy, ...).")
        String service;

        @Override
        public void run() {
            MeridianCommand root = MeridianCommand.of(spec);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Predicate<AuditRecord> filter = filter();
            if (options.output == TailOptions.Output.table) {
                out.printf(TABLE, "TIME", "SERVICE", "ACTOR", "ACTION", "TARGET", "CLUSTER", "OUTCOME");
                out.flush();
            }
            new TopicTail(
                            root.context().kafka().clientProperties(),
                            topics(),
                            StartPoint.parse(options.from, root.environment().clock()),
                            options.follow)
                    .run(
                            record -> {
                                AuditRecord audit = auditRecord(record, err);
                                if (audit != null && filter.test(audit)) {
                                    print(audit, out);
                                }
                            },
                            () -> false);
        }

        private List<String> topics() {
            List<Topic> audit = Topic.Family.AUDIT.topics();
            if (service == null) {
                return audit.stream().map(Topic::topicName).toList();
            }
            return Topic.Family.AUDIT
                    .topicOf(service)
                    .map(t -> List.of(t.topicName()))
                    .orElseThrow(() -> new CliException("no audit topic for service '" + service + "'; services: "
                            + String.join(
                                    ", ",
                                    audit.stream()
                                            .map(t -> t.producer().orElseThrow())
                                            .toList())));
        }

        private Predicate<AuditRecord> filter() {
            Predicate<String> actionMatches = glob(action);
            return r -> (actor == null || actor.equals(r.actor().name()))
                    && (cluster == null || cluster.equals(r.target().clusterId()))
                    && actionMatches.test(r.action());
        }

        private void print(AuditRecord record, PrintWriter out) {
            switch (options.output) {
                case json -> out.println(new String(EventJson.write(record), StandardCharsets.UTF_8));
                case table ->
                    out.printf(
                            TABLE,
                            record.at(),
                            Objects.toString(record.service(), "-"),
                            record.actor().name(),
                            record.action(),
                            record.target().kind() + "/" + record.target().name(),
                            Objects.toString(record.target().clusterId(), "-"),
                            record.outcome());
            }
            out.flush();
        }
    }

    /** The audit record in a tailed record, or null (with a warning) when it is not one. */
    static AuditRecord auditRecord(TailedRecord record, PrintWriter err) {
        String where = record.topic() + "/" + record.partition() + "@" + record.offset();
        if (record.event() == null) {
            err.println("warning: skipped " + where + ": "
                    + (record.unreadable() != null ? record.unreadable() : "a record without a value"));
            err.flush();
            return null;
        }
        if (!EventType.AUDIT_RECORD_APPENDED.type().equals(record.event().type())) {
            err.println("warning: skipped " + where + ": type " + record.event().type() + " is not an audit record");
            err.flush();
            return null;
        }
        try {
            return EventJson.read(record.event().data(), AuditRecord.class);
        } catch (UnreadableEventException e) {
            err.println("warning: skipped " + where + ": " + e.getMessage());
            err.flush();
            return null;
        }
    }

    /** A match for text where {@code *} stands for any text; everything matches a null pattern. */
    static Predicate<String> glob(String pattern) {
        if (pattern == null) {
            return text -> true;
        }
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        Pattern compiled = Pattern.compile(regex.toString());
        return text -> text != null && compiled.matcher(text).matches();
    }
}
