package io.meridian.placement.api;

import io.meridian.placement.persistence.WorkloadStore;
import io.meridian.placement.reconcile.WorkloadReconcileTrigger;
import io.meridian.servicekit.Page;
import io.meridian.servicekit.PageRequest;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Workloads: users' manifests with where they run, how they roll out and fail over. Viewers read; operators and
 * admins write, and only fleet-admins write workloads that can reach production clusters ({@link
 * WorkloadWriteGuard}). Every change is a new generation with its revision and an audit record, committed before the
 * reconciler is told to look.
 */
@Path("/api/v1/workloads")
@Tag(name = "workloads")
@Produces(MediaType.APPLICATION_JSON)
public class WorkloadResource {

    static final String YAML = "application/yaml";

    /** Each item carries its whole declaration (up to maxBytes), so a page holds fewer than the fleet's usual 500. */
    static final int MAX_PAGE = 100;

    private static final Logger LOG = Logger.getLogger(WorkloadResource.class);

    private static final String EXAMPLE_YAML = """
            name: checkout
            namespace: shop
            placement:
              clusterSelector: {clouds: [aws, gcp], environments: [staging], labelSelector: "environment!=prod"}
              spread: [{by: cloud, min: 2}]
            rollout: {canary: 1, maxInFlight: 25%, pause: 30s, healthTimeout: 5m}
            overrides:
              - clusters: {clouds: [gcp]}
                image: europe-docker.pkg.dev/shop/mirror/checkout:1.4.2
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: checkout}
            spec:
              replicas: 2
              selector: {matchLabels: {app: checkout}}
              template:
                metadata: {labels: {app: checkout}}
                spec: {containers: [{name: app, image: ghcr.io/shop/checkout:1.4.2}]}
            """;

    private final WorkloadStore store;
    private final WorkloadAdmission admission;
    private final SecurityIdentity identity;
    private final Instance<WorkloadReconcileTrigger> triggers;
    private final WorkloadMeters meters;

    WorkloadResource(
            WorkloadStore store,
            WorkloadAdmission admission,
            SecurityIdentity identity,
            Instance<WorkloadReconcileTrigger> triggers,
            WorkloadMeters meters) {
        this.store = store;
        this.admission = admission;
        this.identity = identity;
        this.triggers = triggers;
        this.meters = meters;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Workloads by name, a page at a time; only those of one namespace with ?namespace=",
            description = "Pass nextCursor back as cursor for the next page; the last page has none.")
    @APIResponse(responseCode = "200", description = "A page of workloads")
    @APIResponse(responseCode = "400", ref = "InvalidPage")
    public Uni<Page<WorkloadView>> list(
            @QueryParam("namespace") String namespace,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("cursor") String cursor) {
        PageRequest request = PageRequest.of("workloads", limit, cursor, MAX_PAGE);
        return store.page(namespace, request.after(), request.fetch())
                .map(slice -> request.page(
                        slice.items().stream().map(WorkloadView::of).toList(), slice.total(), WorkloadView::name));
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One workload at its current generation")
    @APIResponse(responseCode = "200", description = "The workload")
    @APIResponse(responseCode = "404", ref = "NoSuchWorkload")
    public Uni<WorkloadView> get(@PathParam("name") String name) {
        return store.get(name).map(WorkloadView::of);
    }

    @GET
    @Path("/{name}/revisions")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "The generations of a workload, newest first, a page at a time: what a rollback goes back to",
            description = "Pass nextCursor back as cursor for the next page; the last page has none.")
    @APIResponse(responseCode = "200", description = "A page of generations")
    @APIResponse(responseCode = "400", ref = "InvalidPage")
    @APIResponse(responseCode = "404", ref = "NoSuchWorkload")
    public Uni<Page<WorkloadStore.RevisionInfo>> revisions(
            @PathParam("name") String name,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("cursor") String cursor) {
        PageRequest request = PageRequest.of("workloads/" + name + "/revisions", limit, cursor, PageRequest.MAX_LIMIT);
        return store.revisionPage(name, generationBefore(request), request.fetch())
                .map(slice -> request.page(slice.items(), slice.total(), r -> Long.toString(r.generation())));
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Create a workload at generation 1, from JSON or YAML",
            description = "In YAML the first document is the workload (the fields of the JSON body); every further"
                    + " document is one more manifest. A workload whose clusterSelector can select production"
                    + " clusters needs a fleet-admin.")
    @RequestBody(
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = WorkloadInput.class)),
                @Content(
                        mediaType = YAML,
                        schema = @Schema(type = SchemaType.STRING),
                        examples = @ExampleObject(name = "checkout", value = EXAMPLE_YAML))
            })
    @APIResponse(responseCode = "201", description = "Created; Location names it")
    @APIResponse(responseCode = "400", ref = "InvalidWorkload")
    @APIResponse(responseCode = "403", ref = "MayNotChangeWorkload")
    @APIResponse(
            responseCode = "409",
            description = "A workload of that name exists, or another workload declares one of its objects",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", ref = "WorkloadTooLarge")
    public Uni<Response> create(@Context HttpHeaders headers, String body) {
        MediaType type = headers.getMediaType();
        return WorkerThreads.compute(() -> admission.admit(type, body))
                .chain(workload -> store.create(workload, actor(), guard()))
                .map(change -> {
                    changed(change, "created");
                    return Response.created(URI.create("/api/v1/workloads/"
                                    + change.stored().workload().name()))
                            .entity(WorkloadView.of(change.stored()))
                            .build();
                });
    }

    @PUT
    @Path("/{name}")
    @Consumes({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Replace a workload's declaration, in JSON or YAML (the format of POST)",
            description = "A new generation when anything differs; the same content again keeps the generation.")
    @RequestBody(
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = WorkloadInput.class)),
                @Content(mediaType = YAML, schema = @Schema(type = SchemaType.STRING))
            })
    @APIResponse(responseCode = "200", description = "The workload as it is now")
    @APIResponse(responseCode = "400", ref = "InvalidWorkload")
    @APIResponse(responseCode = "403", ref = "MayNotChangeWorkload")
    @APIResponse(responseCode = "404", ref = "NoSuchWorkload")
    @APIResponse(
            responseCode = "409",
            description = "Another workload declares one of its objects (namespace, Kind/name)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", ref = "WorkloadTooLarge")
    public Uni<WorkloadView> replace(@PathParam("name") String name, @Context HttpHeaders headers, String body) {
        MediaType type = headers.getMediaType();
        return WorkerThreads.compute(() -> admission.admit(type, body))
                .chain(workload -> {
                    if (!name.equals(workload.name())) {
                        meters.refused("invalid");
                        throw ProblemException.invalid("name", "must equal the name in the path ('" + name + "')");
                    }
                    return store.replace(workload, actor(), guard());
                })
                .map(change -> {
                    changed(change, "updated");
                    return WorkloadView.of(change.stored());
                });
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Delete a workload: it leaves every cluster",
            description = "Its history stays in the audit stream; created again, it continues its generations.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = "MayNotChangeWorkload")
    @APIResponse(responseCode = "404", ref = "NoSuchWorkload")
    public Uni<Response> delete(@PathParam("name") String name) {
        return store.delete(name, actor(), guard()).map(deleted -> {
            meters.changed("deleted");
            trigger(name);
            return Response.noContent().build();
        });
    }

    @POST
    @Path("/{name}/rollback")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Roll back: a new generation with the content of the generation before the current one",
            description = "It rolls out like any new generation.")
    @APIResponse(responseCode = "200", description = "The workload at its new generation")
    @APIResponse(responseCode = "403", ref = "MayNotChangeWorkload")
    @APIResponse(responseCode = "404", ref = "NoSuchWorkload")
    @APIResponse(
            responseCode = "409",
            description = "No previous generation (or it says the same)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<WorkloadView> rollback(@PathParam("name") String name) {
        return store.rollback(name, actor(), guard()).map(change -> {
            changed(change, "rolled-back");
            return WorkloadView.of(change.stored());
        });
    }

    // ------------------------------------------------------------------ edges

    /** The generation a revisions cursor ends at; a cursor whose key is no generation was not made here. */
    private static Long generationBefore(PageRequest request) {
        if (request.after() == null) {
            return null;
        }
        try {
            return Long.parseLong(request.after());
        } catch (NumberFormatException e) {
            throw PageRequest.invalidCursor();
        }
    }

    private WorkloadStore.WriteGuard guard() {
        WorkloadWriteGuard guard = WorkloadWriteGuard.forCaller(identity);
        return (current, next) -> {
            try {
                guard.check(current, next);
            } catch (ProblemException e) {
                meters.refused("fleet-admin-required");
                throw e;
            }
        };
    }

    private void changed(WorkloadStore.Change change, String action) {
        if (change.changed()) {
            meters.changed(action);
            trigger(change.stored().workload().name());
        }
    }

    // After the commit: the reconciler re-reads the workload, so a failure here loses nothing its resync won't find.
    private void trigger(String name) {
        for (WorkloadReconcileTrigger trigger : triggers) {
            try {
                trigger.workloadChanged(name);
            } catch (RuntimeException e) {
                LOG.warnf(e, "the reconciler was not told that workload %s changed; its resync will find it", name);
            }
        }
    }

    private String actor() {
        return WorkloadWriteGuard.actor(identity);
    }
}
