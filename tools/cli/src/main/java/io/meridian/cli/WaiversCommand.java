package io.meridian.cli;

import io.meridian.cli.rest.Output;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meridian waivers list|create|revoke}: exceptions to a policy, scoped and with an expiry (policy). */
@Command(
        name = "waivers",
        description = "Waivers: a policy excepted on a cluster, namespace or object until an expiry (policy).",
        subcommands = {WaiversCommand.ListWaivers.class, WaiversCommand.CreateWaiver.class, WaiversCommand.Revoke.class
        })
final class WaiversCommand {

    static final String PATH = "/api/v1/waivers";

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("ID", "/id"),
            Output.Column.of("POLICY", "/policy"),
            Output.Column.of("CLUSTER", "/clusterId"),
            Output.Column.of("NAMESPACE", "/namespace"),
            Output.Column.of("KIND", "/kind"),
            Output.Column.of("NAME", "/name"),
            Output.Column.of("EXPIRES", "/expiresAt"),
            Output.Column.of("BY", "/createdBy"),
            Output.Column.of("REASON", "/reason"));

    /** {@code waivers list}: the API answers every waiver at once. */
    @Command(name = "list", description = "List waivers.")
    static final class ListWaivers extends ApiCommands.OutputVerb {
        @Override
        public void run() {
            ApiCommands.printWholeList(spec, output.format, "policy", PATH, COLUMNS);
        }
    }

    /** {@code waivers create -f FILE}. */
    @Command(
            name = "create",
            description = "Create a waiver from JSON or YAML (policy, clusterId, namespace, kind, name, reason,"
                    + " expiresAt).")
    static final class CreateWaiver extends ApiCommands.OutputVerb {
        @Option(
                names = {"-f", "--filename"},
                required = true,
                paramLabel = "FILE",
                description = "The waiver; - reads standard input.")
        String file;

        @Override
        public void run() {
            ApiCommands.create(spec, output.format, "policy", PATH, file, COLUMNS);
        }
    }

    /** {@code waivers revoke ID}. */
    @Command(name = "revoke", description = "Revoke a waiver: its violations count again.")
    static final class Revoke implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            ApiCommands.delete(spec, "policy", PATH + "/" + ApiCommands.segment(id), "waiver " + id + " revoked");
        }
    }
}
