package io.meridian.identity.api;

import io.meridian.identity.domain.FieldProblem;
import io.meridian.identity.domain.GrantRules;
import io.meridian.identity.domain.GuardRails;
import io.meridian.identity.domain.RoleTemplate;
import io.meridian.identity.reconcile.RoleTemplateCatalog;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Fleet role templates: roles with their own rules, granted like built-in roles. */
@Path("/api/v1/role-templates")
@Tag(name = "role-templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RoleTemplateResource {

    private final RoleTemplateCatalog catalog;
    private final SecurityIdentity identity;

    RoleTemplateResource(RoleTemplateCatalog catalog, SecurityIdentity identity) {
        this.catalog = catalog;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Every role template")
    public Uni<List<RoleTemplateView>> list() {
        return catalog.all().map(all -> all.stream().map(RoleTemplateView::of).toList());
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One role template")
    public Uni<RoleTemplateView> get(@PathParam("name") String name) {
        return catalog.get(name).map(RoleTemplateView::of);
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Define a role template; privileged ones need a fleet-admin",
            description = "Privileged: wildcards, reading Secrets, pods/exec, attach or portforward, nodes/proxy,"
                    + " serviceaccounts/token, writing admission webhooks or policies, approving certificate"
                    + " signing requests or signing for signers, escalate, bind or impersonate.")
    public Uni<Response> create(RoleTemplateInput body) {
        RoleTemplate template = validated(body, body == null ? null : body.name());
        return catalog.create(template, identity.getPrincipal().getName())
                .map(created -> Response.created(URI.create("/api/v1/role-templates/" + created.name()))
                        .entity(RoleTemplateView.of(created))
                        .build());
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Change a role template's rules; clusters where it is granted follow",
            description = "Grants of it that needed approval (prod, privileged) or that the change makes privileged go"
                    + " back to Pending and their RBAC is withdrawn until a fleet-admin other than the changer"
                    + " approves the new rules.")
    public Uni<RoleTemplateView> update(@PathParam("name") String name, RoleTemplateInput body) {
        if (body != null && body.name() != null && !body.name().equals(name)) {
            throw ProblemException.invalid("name", "must equal the name in the path, '" + name + "'");
        }
        return catalog.update(validated(body, name), identity.getPrincipal().getName())
                .map(RoleTemplateView::of);
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Delete a role template no active or pending grant uses")
    public Uni<Response> delete(@PathParam("name") String name) {
        return catalog.delete(name).replaceWith(Response.noContent().build());
    }

    private RoleTemplate validated(RoleTemplateInput body, String name) {
        if (body == null) {
            throw new ProblemException(Problem.invalid("A role template body is required", List.of()));
        }
        Callers.reject(GrantRules.checkTemplate(name, body.rules()));
        RoleTemplate template = new RoleTemplate(name, body.description(), body.rules());
        if (!identity.hasRole(Roles.ADMIN)) {
            List<FieldProblem> privileged = GuardRails.adminOnlyTemplate(template);
            if (!privileged.isEmpty()) {
                throw Callers.forbidden(
                        "Only a fleet-admin may define a privileged role template: "
                                + privileged.stream().map(FieldProblem::field).toList()
                                + " open escalation paths.",
                        privileged);
            }
        }
        return template;
    }
}
