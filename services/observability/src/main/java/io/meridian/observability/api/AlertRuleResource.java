package io.meridian.observability.api;

import io.meridian.observability.domain.AlertRule;
import io.meridian.observability.domain.BuiltInRules;
import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.domain.RuleCompiler;
import io.meridian.observability.domain.RuleSpec;
import io.meridian.observability.persistence.RuleStore;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Alert rules: the built-in ones (read-only here, tuned by configuration) and custom ones. */
@Path("/api/v1/alert-rules")
@Tag(name = "alert-rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AlertRuleResource {

    /** A rule as listed: its definition and whether it is built in. */
    public record RuleView(RuleSpec rule, boolean builtIn) {
        static RuleView of(AlertRule r) {
            return new RuleView(r.spec(), r.builtIn());
        }
    }

    private final RuleStore store;
    private final BuiltInRules.Settings builtIns;

    AlertRuleResource(RuleStore store, BuiltInRules.Settings builtIns) {
        this.store = store;
        this.builtIns = builtIns;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Every rule, built-in first")
    public Uni<List<RuleView>> list() {
        return store.all().map(custom -> {
            List<RuleView> out = new ArrayList<>();
            BuiltInRules.of(builtIns).forEach(r -> out.add(RuleView.of(r)));
            custom.forEach(r -> out.add(RuleView.of(r)));
            return out;
        });
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One rule")
    public Uni<RuleView> get(@PathParam("name") String name) {
        return list().map(all -> all.stream()
                .filter(r -> r.rule().name().equals(name))
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("alert rule " + name)));
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Create a custom rule: a condition over a fleet signal or a scraped metric, a threshold,"
                    + " a for duration, labels, severity and summary")
    public Uni<Response> create(RuleSpec body) {
        AlertRule rule = compile(body);
        if (BuiltInRules.isBuiltIn(rule.name())) {
            throw ProblemException.conflict("alert rule " + rule.name() + " is built in; tune it by configuration");
        }
        return store.create(rule)
                .map(created -> Response.created(URI.create("/api/v1/alert-rules/" + rule.name()))
                        .entity(RuleView.of(created))
                        .build());
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Replace a custom rule")
    public Uni<RuleView> replace(@PathParam("name") String name, RuleSpec body) {
        AlertRule rule = compile(body);
        if (!rule.name().equals(name)) {
            Invalid.reject(List.of(new FieldProblem("name", "must equal the name in the path")));
        }
        if (BuiltInRules.isBuiltIn(name)) {
            throw ProblemException.conflict("alert rule " + name + " is built in; tune it by configuration");
        }
        return store.update(rule).map(RuleView::of);
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Delete a custom rule; its alerts resolve at the next evaluation")
    public Uni<Response> delete(@PathParam("name") String name) {
        if (BuiltInRules.isBuiltIn(name)) {
            throw ProblemException.conflict("alert rule " + name + " is built in and cannot be deleted");
        }
        return store.delete(name).replaceWith(Response.noContent().build());
    }

    private static AlertRule compile(RuleSpec body) {
        RuleCompiler.Result result = RuleCompiler.compile(body, false);
        Invalid.reject(result.problems());
        return result.rule();
    }
}
