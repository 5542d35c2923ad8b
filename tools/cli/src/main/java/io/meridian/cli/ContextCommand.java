package io.meridian.cli;

import io.meridian.cli.auth.Token;
import io.meridian.cli.config.Context;
import io.meridian.cli.config.ContextStore;
import io.meridian.cli.config.KafkaSettings;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Which Meridian the CLI talks to, and as whom: {@code meridian context [list|use|set|show]}. */
@Command(
        name = "context",
        description = "List, choose and define contexts (a Keycloak, the services' URLs, a Kafka).",
        subcommands = {
            ContextCommand.List.class,
            ContextCommand.Use.class,
            ContextCommand.Set.class,
            ContextCommand.Show.class
        })
final class ContextCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        list(spec);
    }

    static void list(CommandSpec spec) {
        MeridianCommand root = MeridianCommand.of(spec);
        ContextStore store = root.contexts();
        String current = root.contextName();
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-1s %-16s %-32s %-24s %s%n";
        out.printf(format, "", "NAME", "KEYCLOAK", "KAFKA", "USER");
        store.contexts()
                .forEach((name, context) -> out.printf(
                        format,
                        name.equals(current) ? "*" : "",
                        name,
                        context.keycloak(),
                        Optional.ofNullable(context.kafka())
                                .map(KafkaSettings::bootstrap)
                                .orElse("-"),
                        root.tokens().get(name).flatMap(Token::userName).orElse("-")));
        out.flush();
    }

    /** {@code context list}. */
    @Command(name = "list", description = "List the contexts; * marks the current one.")
    static final class List implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            list(spec);
        }
    }

    /** {@code context use NAME}. */
    @Command(name = "use", description = "Make a context the current one.")
    static final class Use implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            MeridianCommand.of(spec).contexts().use(name);
            spec.commandLine().getOut().println("current context: " + name);
            spec.commandLine().getOut().flush();
        }
    }

    /** {@code context show [NAME]}: the settings of one context as JSON. */
    @Command(name = "show", description = "Print the settings of a context (the current one by default).")
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "0..1")
        String name;

        @Override
        public void run() {
            MeridianCommand root = MeridianCommand.of(spec);
            Context context = root.contexts().resolve(name != null ? name : root.contextName());
            try {
                spec.commandLine()
                        .getOut()
                        .println(io.meridian.contracts.EventJson.mapper()
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(context));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new CliException("cannot print the context: " + e.getMessage(), e);
            }
            spec.commandLine().getOut().flush();
        }
    }

    /** {@code context set NAME --keycloak URL ...}: creates a context or changes the settings given. */
    @Command(name = "set", description = "Create a context, or change the given settings of one.")
    static final class Set implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = "--keycloak",
                paramLabel = "URL",
                description = "Keycloak's base URL, e.g. https://sso.example.com")
        String keycloak;

        @Option(names = "--realm", paramLabel = "REALM", description = "Keycloak realm (default: meridian)")
        String realm;

        @Option(names = "--client", paramLabel = "ID", description = "OIDC client of the CLI (default: meridian-cli)")
        String client;

        @Option(names = "--inventory", paramLabel = "URL")
        String inventory;

        @Option(names = "--identity", paramLabel = "URL")
        String identity;

        @Option(names = "--policy", paramLabel = "URL")
        String policy;

        @Option(names = "--cost", paramLabel = "URL")
        String cost;

        @Option(names = "--observability", paramLabel = "URL")
        String observability;

        @Option(names = "--placement", paramLabel = "URL")
        String placement;

        @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers, host:port[,...]")
        String kafka;

        @Option(names = "--kafka-user", paramLabel = "USER", description = "SCRAM-SHA-512 user (e.g. ops-audit)")
        String kafkaUser;

        @Option(names = "--kafka-password-file", paramLabel = "FILE", description = "File holding that user's password")
        String kafkaPasswordFile;

        @Option(
                names = "--kafka-protocol",
                paramLabel = "PROTOCOL",
                description = "Kafka security protocol: PLAINTEXT, SASL_PLAINTEXT (default with a user), SASL_SSL")
        String kafkaProtocol;

        @Override
        public void run() {
            MeridianCommand root = MeridianCommand.of(spec);
            ContextStore store = root.contexts();
            Context before = store.contexts().get(name);
            if (before == null && keycloak == null) {
                throw new CliException("a new context needs --keycloak URL");
            }
            Map<String, String> services = new LinkedHashMap<>(before == null ? Map.of() : before.services());
            putIfSet(services, "inventory", inventory);
            putIfSet(services, "identity", identity);
            putIfSet(services, "policy", policy);
            putIfSet(services, "cost", cost);
            putIfSet(services, "observability", observability);
            putIfSet(services, "placement", placement);
            KafkaSettings kafkaBefore = before == null || before.kafka() == null
                    ? new KafkaSettings(null, null, null, null)
                    : before.kafka();
            KafkaSettings kafkaAfter = new KafkaSettings(
                    or(kafka, kafkaBefore.bootstrap()),
                    or(kafkaUser, kafkaBefore.user()),
                    or(kafkaPasswordFile, kafkaBefore.passwordFile()),
                    or(kafkaProtocol, kafkaBefore.protocol()));
            Context after = new Context(
                    or(keycloak, before == null ? null : before.keycloak()),
                    or(realm, before == null ? "meridian" : before.realm()),
                    or(client, before == null ? "meridian-cli" : before.client()),
                    services,
                    kafkaAfter);
            store.put(name, after);
            spec.commandLine().getOut().println((before == null ? "created" : "updated") + " context " + name);
            spec.commandLine().getOut().flush();
        }

        private static void putIfSet(Map<String, String> services, String service, String url) {
            if (url != null) {
                services.put(service, url);
            }
        }

        private static String or(String given, String before) {
            return given != null ? given : before;
        }
    }
}
