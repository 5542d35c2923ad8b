package io.meridian.placement.api;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.placement.domain.PlacementDecision;
import io.meridian.placement.domain.RolloutPhase;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.domain.WorkloadProgress;
import io.meridian.placement.domain.WorkloadRevision;
import io.meridian.placement.persistence.DesiredBundleStore;
import io.meridian.placement.persistence.OperatorCommandStore;
import io.meridian.placement.persistence.WorkloadStore;
import io.meridian.placement.reconcile.FleetViewCache;
import io.meridian.placement.reconcile.PlacementFacts;
import io.meridian.placement.reconcile.PlacementReconciler;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Where a workload runs and why, and the operator's hands on its moves: resume a halted rollout, let a suppressed
 * failover go ahead, give a failed-over cluster its share back. Viewers read; a command is an operator's, and a
 * fleet-admin's for a workload that can reach production clusters (the same {@link WorkloadWriteGuard} as every
 * workload write, since each ends in writes to clusters). A command is recorded with its audit record and acted on by
 * the workload's next reconcile, which it starts.
 */
@Path("/api/v1/workloads")
@Tag(name = "workloads")
@Produces(MediaType.APPLICATION_JSON)
public class PlacementResource {

    private final Mutiny.SessionFactory sessions;
    private final WorkloadStore workloads;
    private final DesiredBundleStore bundles;
    private final OperatorCommandStore commands;
    private final FleetViewCache fleet;
    private final PlacementReconciler reconciler;
    private final AuditTrail audit;
    private final SecurityIdentity identity;
    private final Clock clock;

    PlacementResource(
            Mutiny.SessionFactory sessions,
            WorkloadStore workloads,
            DesiredBundleStore bundles,
            OperatorCommandStore commands,
            FleetViewCache fleet,
            PlacementReconciler reconciler,
            AuditTrail audit,
            SecurityIdentity identity,
            Clock clock) {
        this.sessions = sessions;
        this.workloads = workloads;
        this.bundles = bundles;
        this.commands = commands;
        this.fleet = fleet;
        this.reconciler = reconciler;
        this.audit = audit;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    @Path("/{name}/placement")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Explain where a workload runs",
            description = "The chosen clusters with their replicas, score and monthly cost; every other cluster with"
                    + " the reason it was not chosen; unmet spread rules; a suppressed failover; the total monthly"
                    + " cost; the rollout; and per cluster the generation it is told to run, the one it applied, and"
                    + " whether the workload is available there.")
    @APIResponse(responseCode = "200", description = "The explanation; decided=false until the first decision")
    @APIResponse(responseCode = "404", ref = "NoSuchWorkload")
    public Uni<PlacementView> placement(@PathParam("name") String name) {
        return sessions.withSession(s -> workloads.state(s, name).chain(state -> {
            Workload workload =
                    state.workload().orElseThrow(() -> ProblemException.notFound("workload '" + name + "'"));
            Optional<WorkloadProgress> progress = state.progress();
            return bundles.reportedOf(s, name)
                    .map(DesiredBundleStore.Reported::applied)
                    .chain(applied -> revisions(s, name, progress)
                            // Rendering what each cluster should show is CPU work on every manifest of every
                            // generation placed: off the event loop.
                            .chain(at -> WorkerThreads.compute(() -> PlacementView.of(
                                    name,
                                    workload.generation(),
                                    state.decision()
                                            .map(d -> PlacementFacts.decision(d, fleet.fleet()))
                                            .orElse(null),
                                    progress.orElse(null),
                                    reconciler.observe(workload, progress.orElse(null), applied, at),
                                    applied))));
        }));
    }

    @POST
    @Path("/{name}/rollout/resume")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Resume a halted rollout",
            description = "The halted wave is applied again with a fresh health window.")
    @APIResponse(responseCode = "202", description = "Recorded; the workload's reconcile acts on it now")
    @APIResponse(responseCode = "403", ref = "MayNotChangeWorkload")
    @APIResponse(responseCode = "404", ref = "NoSuchWorkload")
    @APIResponse(
            responseCode = "409",
            description = "The rollout is not halted (the detail says its phase)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> resume(@PathParam("name") String name) {
        return command(
                name,
                "resume",
                List.of(),
                (s, workload) -> workloads.progress(s, name).chain(progress -> {
                    RolloutPhase phase = progress.map(p -> p.rollout().phase()).orElse(null);
                    if (phase != RolloutPhase.HALTED) {
                        return conflict("the rollout of workload '" + name + "' is "
                                + (phase == null ? "not started (the workload is not placed yet)" : phaseName(phase))
                                + ", not Halted: there is nothing to resume");
                    }
                    return commands.requestResume(s, name, actor());
                }));
    }

    @POST
    @Path("/{name}/failover")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Let a suppressed failover go ahead",
            description = "When too many of a workload's clusters (or of the fleet) vanished at once, placement"
                    + " suspects its own network and moves nothing; this says the outage is real.")
    @APIResponse(responseCode = "202", description = "Recorded; the workload's reconcile acts on it now")
    @APIResponse(responseCode = "403", ref = "MayNotChangeWorkload")
    @APIResponse(responseCode = "404", ref = "NoSuchWorkload")
    @APIResponse(
            responseCode = "409",
            description = "No failover of the workload is suppressed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> failover(@PathParam("name") String name) {
        return command(
                name,
                "failover",
                List.of(),
                (s, workload) -> workloads.decision(s, name).chain(decision -> {
                    if (decision.map(PlacementDecision::suppressed).isEmpty()) {
                        return conflict("no failover of workload '" + name
                                + "' is suppressed: placement fails over by itself unless too many clusters vanish"
                                + " at once");
                    }
                    return commands.approveFailover(s, name, actor());
                }));
    }

    @POST
    @Path("/{name}/failback")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Give failed-over clusters their share back",
            description = "For a workload with failback: Manual (or to bring one back before stableFor): each"
                    + " cluster must be one the workload failed over from; it returns make-before-break once Ready.")
    @APIResponse(responseCode = "202", description = "Recorded; the workload's reconcile acts on it now")
    @APIResponse(
            responseCode = "400",
            description = "No clusters named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", ref = "MayNotChangeWorkload")
    @APIResponse(responseCode = "404", ref = "NoSuchWorkload")
    @APIResponse(
            responseCode = "409",
            description = "A named cluster is not one the workload failed over from",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> failback(@PathParam("name") String name, FailbackRequest body) {
        List<String> clusters = body == null || body.clusters() == null
                ? List.of()
                : body.clusters().stream()
                        .filter(c -> c != null && !c.isBlank())
                        .distinct()
                        .sorted()
                        .toList();
        if (clusters.isEmpty()) {
            throw ProblemException.invalid("clusters", "name at least one cluster the workload failed over from");
        }
        return command(
                name,
                "failback",
                clusters,
                (s, workload) -> workloads.decision(s, name).chain(decision -> {
                    Set<String> displaced = decision.map(d -> d.displaced().stream()
                                    .map(PlacementDecision.Displacement::clusterId)
                                    .collect(Collectors.toCollection(TreeSet::new)))
                            .orElseGet(TreeSet::new);
                    List<String> notDisplaced = clusters.stream()
                            .filter(c -> !displaced.contains(c))
                            .toList();
                    if (!notDisplaced.isEmpty()) {
                        return conflict("workload '" + name + "' did not fail over from "
                                + String.join(", ", notDisplaced)
                                + (displaced.isEmpty()
                                        ? ": it failed over from no cluster"
                                        : "; it failed over from " + String.join(", ", displaced)));
                    }
                    return commands.approveFailback(s, name, Set.copyOf(clusters), actor());
                }));
    }

    // ------------------------------------------------------------------ edges

    /** What one command checks and records, inside the transaction, for a live workload the caller may move. */
    @FunctionalInterface
    private interface Recording {
        Uni<Void> record(Mutiny.Session s, Workload workload);
    }

    private Uni<Response> command(String name, String command, List<String> clusters, Recording recording) {
        WorkloadWriteGuard guard = WorkloadWriteGuard.forCaller(identity);
        return sessions.withTransaction(s -> locked(s, name).chain(workload -> {
                    // A move ends in writes to the workload's clusters: the same rule as changing it.
                    guard.check(workload, null);
                    Map<String, String> details = new LinkedHashMap<>();
                    details.put("command", command);
                    details.put("generation", Long.toString(workload.generation()));
                    if (!clusters.isEmpty()) {
                        details.put("clusters", String.join(",", clusters));
                    }
                    return recording
                            .record(s, workload)
                            .chain(() -> audit.record(
                                    s,
                                    "workload." + command + "-requested",
                                    new AuditRecord.Target("Workload", name, null),
                                    AuditRecord.Outcome.success,
                                    details));
                }))
                .map(recorded -> {
                    reconciler.workloadChanged(name);
                    return Response.accepted(new CommandAccepted(name, command, clusters, actor(), clock.instant()))
                            .build();
                });
    }

    // Locked: a concurrent write could otherwise move the workload onto prod between the guard and the command.
    private Uni<Workload> locked(Mutiny.Session s, String name) {
        return found(name, workloads.findForUpdate(s, name));
    }

    private static Uni<Workload> found(String name, Uni<Optional<Workload>> lookup) {
        return lookup.map(found -> found.orElseThrow(() -> ProblemException.notFound("workload '" + name + "'")));
    }

    /** The revisions the progress assigns, by generation: what is expected available on each cluster. */
    private Uni<Map<Long, WorkloadRevision>> revisions(
            Mutiny.Session s, String name, Optional<WorkloadProgress> progress) {
        Map<Long, WorkloadRevision> at = new HashMap<>();
        if (progress.isEmpty()) {
            return Uni.createFrom().item(at);
        }
        List<Long> generations = new ArrayList<>(new TreeSet<>(progress.get().assignments().values().stream()
                .map(a -> a.generation())
                .toList()));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (long g : generations) {
            chain = chain.chain(() -> workloads.revision(s, name, g))
                    .invoke(r -> r.ifPresent(revision -> at.put(g, revision)))
                    .replaceWithVoid();
        }
        return chain.replaceWith(at);
    }

    /** The command's 409: what the workload's state is, and why the command has nothing to act on. */
    private static Uni<Void> conflict(String detail) {
        return Uni.createFrom().failure(ProblemException.conflict(detail));
    }

    private static String phaseName(RolloutPhase phase) {
        String lower = phase.name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    private String actor() {
        return WorkloadWriteGuard.actor(identity);
    }
}
