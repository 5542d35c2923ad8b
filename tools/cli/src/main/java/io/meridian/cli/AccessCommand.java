package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.cli.rest.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meridian access who-can}: identity's access review, from grants and from the RBAC observed on clusters. */
@Command(
        name = "access",
        description = "Who can do what where (identity).",
        subcommands = {AccessCommand.WhoCan.class})
final class AccessCommand {

    static final List<Output.Column> COLUMNS = List.of(
            Output.Column.of("CLUSTER", "/cluster"),
            Output.Column.of("NAMESPACE", "/namespace"),
            new Output.Column(
                    "SUBJECT",
                    e -> e.path("subjectKind").asText("?") + "/"
                            + e.path("subjectName").asText("?")),
            Output.Column.of("ROLE", "/role"),
            Output.Column.of("SOURCE", "/source"),
            Output.Column.of("GRANT", "/grantId"),
            Output.Column.of("MANAGED", "/managed"),
            ApiCommands.joined("RISKS", "/risks"));

    /** {@code access who-can}: the access review, narrowed by subject, cluster and namespace. */
    @Command(
            name = "who-can",
            description = "Who has which role on which cluster and namespace; a namespace also shows cluster-wide"
                    + " access.")
    static final class WhoCan extends ApiCommands.OutputVerb {
        @Option(names = "--subject", description = "group/payments, user/alice, a plain name or a Kubernetes subject")
        String subject;

        @Option(names = "--cluster")
        String cluster;

        @Option(
                names = {"-n", "--namespace"},
                paramLabel = "NAMESPACE")
        String namespace;

        @Override
        public void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("subject", subject);
            query.put("cluster", cluster);
            query.put("namespace", namespace);
            // The review is computed whole, not paged.
            JsonNode page = ApiCommands.api(spec).get("identity", "/api/v1/access", query);
            List<JsonNode> items = new ArrayList<>();
            page.path("items").forEach(items::add);
            ApiCommands.printList(spec, output.format, items, COLUMNS);
        }
    }
}
