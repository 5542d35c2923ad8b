package io.meridian.identity.api;

import io.meridian.identity.directory.KeycloakSubjects;
import io.meridian.identity.domain.ClusterScope;
import io.meridian.identity.domain.FieldProblem;
import io.meridian.identity.domain.Grant;
import io.meridian.identity.domain.GrantRequest;
import io.meridian.identity.domain.GrantRules;
import io.meridian.identity.domain.GrantState;
import io.meridian.identity.domain.GuardRails;
import io.meridian.identity.domain.RoleTemplate;
import io.meridian.identity.domain.Subject;
import io.meridian.identity.persistence.FleetView;
import io.meridian.identity.persistence.GrantQueries;
import io.meridian.identity.reconcile.BundleDeclarations;
import io.meridian.identity.reconcile.GrantLifecycle;
import io.meridian.identity.reconcile.RoleTemplateCatalog;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Fleet access grants: viewers read; operators and admins create and revoke within the guard rails; a second
 * fleet-admin approves what needs approval.
 */
@Path("/api/v1/grants")
@Tag(name = "grants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GrantResource {

    static final int MAX_PAGE = 500;

    private final GrantLifecycle lifecycle;
    private final GrantQueries grants;
    private final FleetView fleet;
    private final RoleTemplateCatalog templates;
    private final KeycloakSubjects directory;
    private final BundleDeclarations bundles;
    private final SecurityIdentity identity;
    private final java.time.Clock clock;

    GrantResource(
            GrantLifecycle lifecycle,
            GrantQueries grants,
            FleetView fleet,
            RoleTemplateCatalog templates,
            KeycloakSubjects directory,
            BundleDeclarations bundles,
            SecurityIdentity identity,
            java.time.Clock clock) {
        this.lifecycle = lifecycle;
        this.grants = grants;
        this.fleet = fleet;
        this.templates = templates;
        this.directory = directory;
        this.bundles = bundles;
        this.identity = identity;
        this.clock = clock;
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Grant a Keycloak group or user a role on the clusters of a scope",
            description = "Pending until a second fleet-admin approves when the role is privileged (admin,"
                    + " cluster-admin, a privileged template) or the grant reaches environment=prod clusters;"
                    + " privileged roles need a fleet-admin.")
    public Uni<Response> create(GrantInput body) {
        if (body == null) {
            throw new ProblemException(Problem.invalid("A grant body is required", List.of()));
        }
        GrantInput.SubjectInput subject =
                body.subject() == null ? new GrantInput.SubjectInput(null, null) : body.subject();
        GrantInput.ScopeInput scope = body.scope() == null ? new GrantInput.ScopeInput(null, null, null) : body.scope();
        GrantRequest request = new GrantRequest(
                subject.kind(),
                subject.name(),
                body.role(),
                scope.labels(),
                scope.cloud(),
                scope.environment(),
                body.namespaces(),
                body.expiresAt(),
                body.reason());
        String caller = identity.getPrincipal().getName();
        boolean admin = identity.hasRole(Roles.ADMIN);
        Context context = Vertx.currentContext();
        return templates
                .all()
                .chain(all -> {
                    Map<String, RoleTemplate> byName =
                            all.stream().collect(Collectors.toMap(RoleTemplate::name, t -> t));
                    Callers.reject(GrantRules.check(request, byName.keySet(), clock.instant()));
                    if (!admin) {
                        GuardRails.adminOnly(request.role(), byName.get(request.role()))
                                .ifPresent(problem -> {
                                    throw Callers.forbidden(
                                            "Only a fleet-admin may grant this role.", List.of(problem));
                                });
                    }
                    Subject who = new Subject(
                            Subject.Kind.fromWire(request.subjectKind()).orElseThrow(), request.subjectName());
                    Grant requested = new Grant(
                            GrantLifecycle.newId(clock.instant()),
                            who,
                            request.role(),
                            new ClusterScope(request.labels(), request.cloud(), request.environment()),
                            request.namespaces(),
                            request.expiresAt(),
                            request.reason().strip(),
                            GrantState.Pending,
                            true,
                            caller,
                            clock.instant(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null);
                    return checkSubject(who, context).chain(() -> lifecycle.create(requested, admin));
                })
                .map(grant -> Response.created(URI.create("/api/v1/grants/" + grant.id()))
                        .entity(GrantView.of(grant, null, bundles.planner().subjects()))
                        .build());
    }

    private Uni<Void> checkSubject(Subject subject, Context context) {
        if (!directory.enabled()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Boolean> lookup = directory.exists(subject);
        if (context != null) {
            // The HTTP client answers on its own thread; Hibernate Reactive must continue on the request's context.
            lookup = lookup.emitOn(task -> context.runOnContext(ignored -> task.run()));
        }
        return lookup.onFailure(KeycloakSubjects.DirectoryUnavailable.class)
                .transform(e -> new ProblemException(Problem.of(
                        503,
                        "Directory unavailable",
                        "Keycloak could not confirm that " + subject.kind().wireName() + " '" + subject.name()
                                + "' exists; try again shortly.")))
                .map(exists -> {
                    if (!exists) {
                        throw Callers.invalidSubject(subject);
                    }
                    return null;
                });
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "List grants, filtered and paged (oldest first)")
    public Uni<GrantPage> list(
            @QueryParam("subject") String subject,
            @QueryParam("role") String role,
            @QueryParam("state") String state,
            @QueryParam("cluster") String cluster,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("cursor") String cursor) {
        List<FieldProblem> problems = new ArrayList<>();
        if (state != null
                && java.util.Arrays.stream(GrantState.values())
                        .noneMatch(s -> s.name().equalsIgnoreCase(state))) {
            problems.add(new FieldProblem("state", "must be one of Pending, Active, Revoked, Expired"));
        }
        if (limit < 1 || limit > MAX_PAGE) {
            problems.add(new FieldProblem("limit", "must be between 1 and " + MAX_PAGE));
        }
        Callers.reject(problems);
        return fleet.snapshot()
                .chain(snapshot -> grants.all().map(everything -> {
                    List<Grant> matching = everything.stream()
                            .filter(g -> subject == null
                                    || subject.equals(g.subject().key())
                                    || subject.equals(g.subject().name()))
                            .filter(g -> role == null || role.equals(g.role()))
                            .filter(g -> state == null || g.state().name().equalsIgnoreCase(state))
                            .filter(g -> cluster == null
                                    || snapshot.reaching(g).stream().anyMatch(c -> c.id().equals(cluster)))
                            .toList();
                    List<Grant> after = cursor == null
                            ? matching
                            : matching.stream()
                                    .filter(g -> g.id().compareTo(cursor) > 0)
                                    .toList();
                    List<Grant> page = after.stream().limit(limit).toList();
                    String next = after.size() > limit ? page.getLast().id() : null;
                    return new GrantPage(
                            page.stream()
                                    .map(g -> GrantView.of(
                                            g,
                                            snapshot.convergence(g),
                                            bundles.planner().subjects()))
                                    .toList(),
                            matching.size(),
                            next);
                }));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One grant with its convergence: applied on N of M clusters, failures with reason")
    public Uni<GrantView> get(@PathParam("id") String id) {
        return grants.get(id)
                .chain(grant -> fleet.snapshot()
                        .map(snapshot -> GrantView.of(
                                grant,
                                snapshot.convergence(grant),
                                bundles.planner().subjects())));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Revoke a grant everywhere (idempotent)")
    public Uni<Response> revoke(@PathParam("id") String id) {
        return lifecycle
                .revoke(id, identity.getPrincipal().getName())
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Approve a Pending grant as a second fleet-admin",
            description = "Not by its creator, its subject (the user, or a member of the group by the token's groups"
                    + " claim; a token without that claim cannot approve a group grant) or whoever last changed its"
                    + " role template. The approval binds to the subject, scope, namespaces and the role's rules as"
                    + " they are now; a later template change sends the grant back to Pending.")
    public Uni<GrantView> approve(@PathParam("id") String id) {
        return lifecycle
                .approve(id, Callers.approver(identity))
                .chain(grant -> fleet.snapshot()
                        .map(snapshot -> GrantView.of(
                                grant,
                                snapshot.convergence(grant),
                                bundles.planner().subjects())));
    }
}
