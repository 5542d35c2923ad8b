package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.cli.rest.Output;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meridian grants list|get|create|approve|revoke}: identity's fleet access grants. */
@Command(
        name = "grants",
        description = "Fleet access grants: a Keycloak group or user, a role, the clusters and namespaces (identity).",
        subcommands = {
            GrantsCommand.ListGrants.class,
            GrantsCommand.GetGrant.class,
            GrantsCommand.CreateGrant.class,
            GrantsCommand.ApproveGrant.class,
            GrantsCommand.RevokeGrant.class
        })
final class GrantsCommand {

    static final String PATH = "/api/v1/grants";

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("ID", "/id"),
            new Output.Column(
                    "SUBJECT",
                    g -> g.at("/subject/kind").asText("?") + "/"
                            + g.at("/subject/name").asText("?")),
            Output.Column.of("ROLE", "/role"),
            new Output.Column("SCOPE", GrantsCommand::scope),
            ApiCommands.joined("NAMESPACES", "/namespaces"),
            Output.Column.of("STATE", "/state"),
            Output.Column.of("EXPIRES", "/expiresAt"),
            new Output.Column(
                    "APPLIED",
                    g -> g.path("status").isObject()
                            ? g.at("/status/appliedClusters").asInt() + "/"
                                    + g.at("/status/clusters").asInt()
                            : "-"));

    /** The cluster selector in one cell: cloud, environment and labels; "fleet" when it selects every cluster. */
    static String scope(JsonNode grant) {
        JsonNode scope = grant.path("scope");
        StringBuilder text = new StringBuilder();
        if (scope.path("cloud").isTextual()) {
            text.append("cloud=").append(scope.path("cloud").asText());
        }
        if (scope.path("environment").isTextual()) {
            text.append(text.isEmpty() ? "" : ",")
                    .append("environment=")
                    .append(scope.path("environment").asText());
        }
        scope.path("labels")
                .properties()
                .forEach(e -> text.append(text.isEmpty() ? "" : ",")
                        .append(e.getKey())
                        .append('=')
                        .append(e.getValue().asText()));
        return text.isEmpty() ? "fleet" : text.toString();
    }

    /** {@code grants list}. */
    @Command(name = "list", description = "List grants, filtered as the API filters.")
    static final class ListGrants extends ApiCommands.OutputVerb {
        @Option(names = "--subject", description = "group/NAME, user/NAME or a plain name")
        String subject;

        @Option(names = "--role")
        String role;

        @Option(names = "--state", description = "Pending, Active, Revoked or Expired")
        String state;

        @Option(names = "--cluster", description = "Only grants that reach this cluster.")
        String cluster;

        @Mixin
        ListOptions pages;

        @Override
        public void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("subject", subject);
            query.put("role", role);
            query.put("state", state);
            query.put("cluster", cluster);
            ApiCommands.printList(spec, output.format, pages.fetch(spec, "identity", PATH, query), COLUMNS);
        }
    }

    /** {@code grants get ID}. */
    @Command(name = "get", description = "One grant, with where it is applied and what failed.")
    static final class GetGrant extends ApiCommands.OutputVerb {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            ApiCommands.getOne(spec, output.format, "identity", PATH + "/" + ApiCommands.segment(id), COLUMNS);
        }
    }

    /** {@code grants create -f FILE}. */
    @Command(
            name = "create",
            description = "Create a grant from JSON or YAML (subject, role, scope, namespaces, expiresAt, reason).")
    static final class CreateGrant extends ApiCommands.OutputVerb {
        @Option(
                names = {"-f", "--filename"},
                required = true,
                paramLabel = "FILE",
                description = "The grant; - reads standard input.")
        String file;

        @Override
        public void run() {
            ApiCommands.create(spec, output.format, "identity", PATH, file, COLUMNS);
        }
    }

    /** {@code grants approve ID}: the second fleet-admin's approval of a Pending grant. */
    @Command(name = "approve", description = "Approve a Pending grant (a fleet-admin other than its creator).")
    static final class ApproveGrant extends ApiCommands.OutputVerb {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            JsonNode grant =
                    ApiCommands.api(spec).post("identity", PATH + "/" + ApiCommands.segment(id) + "/approve", null);
            ApiCommands.printOne(spec, output.format, grant, COLUMNS);
        }
    }

    /** {@code grants revoke ID}. */
    @Command(name = "revoke", description = "Revoke a grant everywhere.")
    static final class RevokeGrant implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            ApiCommands.delete(spec, "identity", PATH + "/" + ApiCommands.segment(id), "grant " + id + " revoked");
        }
    }
}
