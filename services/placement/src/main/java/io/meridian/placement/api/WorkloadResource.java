package io.meridian.placement.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.meridian.placement.config.WorkloadLimits;
import io.meridian.placement.domain.FieldProblem;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.domain.WorkloadRules;
import io.meridian.placement.persistence.WorkloadStore;
import io.meridian.placement.reconcile.WorkloadReconcileTrigger;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
    private final WorkloadLimits limits;
    private final SecurityIdentity identity;
    private final Instance<WorkloadReconcileTrigger> triggers;
    private final WorkloadMeters meters;

    WorkloadResource(
            WorkloadStore store,
            WorkloadLimits limits,
            SecurityIdentity identity,
            Instance<WorkloadReconcileTrigger> triggers,
            WorkloadMeters meters) {
        this.store = store;
        this.limits = limits;
        this.identity = identity;
        this.triggers = triggers;
        this.meters = meters;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Every workload, by name; only those of one namespace with ?namespace=")
    public Uni<List<WorkloadView>> list(@QueryParam("namespace") String namespace) {
        return store.list(namespace)
                .map(all -> all.stream().map(WorkloadView::of).toList());
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One workload at its current generation")
    @APIResponse(responseCode = "200", description = "The workload")
    @APIResponse(
            responseCode = "404",
            description = "No such workload",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<WorkloadView> get(@PathParam("name") String name) {
        return store.get(name).map(WorkloadView::of);
    }

    @GET
    @Path("/{name}/revisions")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The generations of a workload, newest first: what a rollback goes back to")
    public Uni<List<WorkloadStore.RevisionInfo>> revisions(@PathParam("name") String name) {
        return store.revisions(name);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Create a workload at generation 1",
            description = "A workload whose clusterSelector can select production clusters needs a fleet-admin.")
    @APIResponse(responseCode = "201", description = "Created; Location names it")
    @APIResponse(
            responseCode = "400",
            description = "Invalid: each error names the field and the object (Kind/name)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "The caller may not write this workload (role, or prod reach)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "A workload of that name exists, or another workload declares one of its objects",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "413",
            description = "Too many manifests, or too many bytes of them",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(WorkloadInput body) {
        Workload workload = accept(body);
        return store.create(workload, actor(), guard()).map(change -> {
            changed(change, "created");
            return Response.created(URI.create("/api/v1/workloads/" + workload.name()))
                    .entity(WorkloadView.of(change.stored()))
                    .build();
        });
    }

    @POST
    @Consumes({YAML, "application/x-yaml", "text/yaml"})
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Create a workload from YAML",
            description = "The first document is the workload (the fields of the JSON body); every further document is"
                    + " one more manifest.")
    @RequestBody(
            content = @Content(mediaType = YAML, examples = @ExampleObject(name = "checkout", value = EXAMPLE_YAML)))
    @APIResponse(responseCode = "201", description = "Created; Location names it")
    @APIResponse(
            responseCode = "400",
            description = "Invalid: each error names the field and the object (Kind/name)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "The caller may not write this workload (role, or prod reach)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "A workload of that name exists, or another workload declares one of its objects",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "413",
            description = "Too many manifests, or too many bytes of them",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> createYaml(String body) {
        return create(WorkloadYaml.read(body));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Replace a workload's declaration",
            description = "A new generation when anything differs; the same content again keeps the generation.")
    @APIResponse(responseCode = "200", description = "The workload as it is now")
    @APIResponse(
            responseCode = "400",
            description = "Invalid: each error names the field and the object (Kind/name)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "The caller may not write this workload (role, or prod reach)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such workload",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "Another workload declares one of its objects (namespace, Kind/name)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "413",
            description = "Too many manifests, or too many bytes of them",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<WorkloadView> replace(@PathParam("name") String name, WorkloadInput body) {
        Workload workload = accept(body);
        if (!name.equals(workload.name())) {
            meters.refused("invalid");
            throw ProblemException.invalid("name", "must equal the name in the path ('" + name + "')");
        }
        return store.replace(workload, actor(), guard()).map(change -> {
            changed(change, "updated");
            return WorkloadView.of(change.stored());
        });
    }

    @PUT
    @Path("/{name}")
    @Consumes({YAML, "application/x-yaml", "text/yaml"})
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Replace a workload's declaration from YAML (the format of POST)")
    @APIResponse(responseCode = "200", description = "The workload as it is now")
    @APIResponse(
            responseCode = "400",
            description = "Invalid: each error names the field and the object (Kind/name)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "The caller may not write this workload (role, or prod reach)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such workload",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "Another workload declares one of its objects (namespace, Kind/name)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "413",
            description = "Too many manifests, or too many bytes of them",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<WorkloadView> replaceYaml(@PathParam("name") String name, String body) {
        return replace(name, WorkloadYaml.read(body));
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Delete a workload: it leaves every cluster",
            description = "Its history stays in the audit stream; created again, it continues its generations.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(
            responseCode = "403",
            description = "The caller may not write this workload (role, or prod reach)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such workload",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
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
    @APIResponse(
            responseCode = "403",
            description = "The caller may not write this workload (role, or prod reach)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such workload",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
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

    /** The workload a body declares, checked and normalized; 413 when too large, 400 naming every problem. */
    private Workload accept(WorkloadInput body) {
        if (body == null) {
            meters.refused("invalid");
            throw new ProblemException(Problem.invalid("A workload body is required", List.of()));
        }
        requireWithinLimits(body);
        List<FieldProblem> problems = new ArrayList<>();
        Workload declared = body.toWorkload(problems);
        WorkloadRules.Checked checked = WorkloadRules.check(declared);
        problems.addAll(checked.problems());
        if (!problems.isEmpty()) {
            meters.refused("invalid");
            throw ProblemException.invalid(problems.stream()
                    .map(p -> new Problem.FieldError(p.field(), p.message()))
                    .toList());
        }
        return checked.workload();
    }

    // Overrides count too: a merge patch can be as large as the manifest it patches, and what is rendered for a
    // cluster is the manifests with the overrides applied.
    private void requireWithinLimits(WorkloadInput body) {
        int count = body.manifests() == null ? 0 : body.manifests().size();
        if (count > limits.maxObjects()) {
            throw tooLarge("manifests", count + " manifests; a workload holds at most " + limits.maxObjects());
        }
        int overrides = body.overrides() == null ? 0 : body.overrides().size();
        if (overrides > limits.maxOverrides()) {
            throw tooLarge("overrides", overrides + " overrides; a workload holds at most " + limits.maxOverrides());
        }
        long bytes;
        try {
            bytes = (body.manifests() == null ? 0 : WorkloadInput.JSON.writeValueAsBytes(body.manifests()).length)
                    + (body.overrides() == null ? 0 : WorkloadInput.JSON.writeValueAsBytes(body.overrides()).length);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("manifests", "cannot be written as JSON: " + e.getOriginalMessage());
        }
        if (bytes > limits.maxBytes()) {
            throw tooLarge(
                    "manifests",
                    bytes + " bytes of manifests and overrides (as JSON); a workload holds at most " + limits.maxBytes()
                            + ": every workload on a cluster travels in that cluster's one bundle");
        }
    }

    private ProblemException tooLarge(String field, String detail) {
        meters.refused("too-large");
        return new ProblemException(new Problem(
                URI.create("https://meridian.io/problems/workload-too-large"),
                "Payload too large",
                413,
                "The workload is too large: " + detail + ". Split it into several workloads.",
                null,
                List.of(new Problem.FieldError(field, detail))));
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
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }
}
