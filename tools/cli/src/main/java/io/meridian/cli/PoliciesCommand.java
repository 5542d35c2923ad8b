package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.cli.rest.ApiClient;
import io.meridian.cli.rest.Output;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meridian policies list|get|apply|delete}: policy's CEL policies. */
@Command(
        name = "policies",
        description = "Fleet policies: CEL rules in the shape of ValidatingAdmissionPolicy (policy).",
        subcommands = {
            PoliciesCommand.ListPolicies.class,
            PoliciesCommand.GetPolicy.class,
            PoliciesCommand.ApplyPolicy.class,
            PoliciesCommand.DeletePolicy.class
        })
final class PoliciesCommand {

    static final String PATH = "/api/v1/policies";

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("NAME", "/policy/name"),
            Output.Column.of("SEVERITY", "/policy/severity"),
            Output.Column.of("ACTION", "/policy/action"),
            ApiCommands.joined("CATEGORIES", "/policy/categories"),
            Output.Column.of("GENERATION", "/generation"),
            Output.Column.of("UPDATED-BY", "/updatedBy"),
            Output.Column.of("UPDATED", "/updatedAt"));

    /** {@code policies list}: the API answers every policy at once. */
    @Command(name = "list", description = "List every policy.")
    static final class ListPolicies extends ApiCommands.OutputVerb {
        @Override
        public void run() {
            ApiCommands.printWholeList(spec, output.format, "policy", PATH, COLUMNS);
        }
    }

    /** {@code policies get NAME}. */
    @Command(name = "get", description = "One policy, with its generation.")
    static final class GetPolicy extends ApiCommands.OutputVerb {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            ApiCommands.getOne(spec, output.format, "policy", PATH + "/" + ApiCommands.segment(name), COLUMNS);
        }
    }

    /** {@code policies apply -f FILE}: create the policy, or replace it when one of that name exists. */
    @Command(name = "apply", description = "Create or replace a policy from its JSON or YAML definition.")
    static final class ApplyPolicy extends ApiCommands.OutputVerb {
        @Option(
                names = {"-f", "--filename"},
                required = true,
                paramLabel = "FILE",
                description = "The policy definition (name, severity, action, categories, fleetScope, spec); - reads"
                        + " standard input.")
        String file;

        @Override
        public void run() {
            JsonNode body = ApiCommands.body(spec, file);
            String name = body.path("name").asText("");
            if (name.isBlank()) {
                throw new CliException(file + " has no name: apply needs it to know whether to create or replace");
            }
            ApiClient api = ApiCommands.api(spec);
            String path = PATH + "/" + ApiCommands.segment(name);
            boolean exists = api.find("policy", path).isPresent();
            JsonNode applied = exists ? api.put("policy", path, body) : api.post("policy", PATH, body);
            ApiCommands.printApplied(spec, output.format, "policy", name, exists, applied, COLUMNS);
        }
    }

    /** {@code policies delete NAME}. */
    @Command(
            name = "delete",
            description = "Delete a policy: its violations close and its enforcement objects are pruned.")
    static final class DeletePolicy implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            ApiCommands.delete(spec, "policy", PATH + "/" + ApiCommands.segment(name), "policy " + name + " deleted");
        }
    }
}
