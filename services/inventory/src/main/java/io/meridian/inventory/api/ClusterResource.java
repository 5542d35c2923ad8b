package io.meridian.inventory.api;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.inventory.connect.ClusterEndpoints;
import io.meridian.inventory.credentials.ClusterCredentials;
import io.meridian.inventory.persistence.ClusterRegistry;
import io.meridian.inventory.registry.ClusterSpec;
import io.meridian.inventory.registry.FieldProblem;
import io.meridian.inventory.registry.RegistrationRules;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The cluster registry: viewers read, operators and admins register, change and deregister; only a fleet-admin
 * moves a cluster into or out of prod or relabels a prod cluster ({@link io.meridian.inventory.registry.ProdGuard}).
 * Registering a prod cluster stays an operator's: it takes credentials that already rule the cluster.
 */
@Path("/api/v1/clusters")
@Tag(name = "clusters")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClusterResource {

    static final int MAX_PAGE = 500;

    private final ClusterRegistry registry;
    private final io.meridian.inventory.persistence.BundleStore bundles;
    private final io.meridian.inventory.bundle.BundleEngine engine;
    private final SecurityIdentity identity;
    private final ClusterEndpoints endpoints;

    ClusterResource(
            ClusterRegistry registry,
            io.meridian.inventory.persistence.BundleStore bundles,
            io.meridian.inventory.bundle.BundleEngine engine,
            SecurityIdentity identity,
            ClusterEndpoints endpoints) {
        this.endpoints = endpoints;
        this.registry = registry;
        this.bundles = bundles;
        this.engine = engine;
        this.identity = identity;
    }

    @GET
    @Path("/{name}/sync")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Per owner: the bundle generation wanted and applied, outcome counts, last drift, last error")
    public Uni<ClusterSyncView> sync(@PathParam("name") String name) {
        return registry.get(name).chain(cluster -> bundles.syncOf(name)).map(rows -> {
            Map<String, ClusterSyncView.OwnerSync> byOwner = new java.util.TreeMap<>();
            for (var row : rows) {
                Map<String, Integer> outcomes = new java.util.LinkedHashMap<>();
                row.outcomes().forEach((outcome, count) -> outcomes.put(outcome.name(), count));
                byOwner.put(
                        row.owner(),
                        new ClusterSyncView.OwnerSync(
                                row.owner(),
                                row.generationWanted(),
                                row.generationApplied(),
                                row.generationApplied() == row.generationWanted() ? "Applied" : "Pending",
                                outcomes,
                                row.driftPolicy(),
                                row.lastError(),
                                row.lastDrift(),
                                row.lastDriftAt() == null
                                        ? null
                                        : row.lastDriftAt().toInstant(),
                                row.appliedAt() == null ? null : row.appliedAt().toInstant()));
            }
            for (var pending : engine.pending(name)) {
                var known = byOwner.get(pending.owner());
                if (known == null || pending.generationWanted() > known.generationWanted()) {
                    byOwner.put(
                            pending.owner(),
                            new ClusterSyncView.OwnerSync(
                                    pending.owner(),
                                    pending.generationWanted(),
                                    known == null ? 0 : known.generationApplied(),
                                    pending.state().name(),
                                    known == null ? Map.of() : known.outcomes(),
                                    known == null ? null : known.driftPolicy(),
                                    known == null ? null : known.lastError(),
                                    known == null ? null : known.lastDrift(),
                                    known == null ? null : known.lastDriftAt(),
                                    known == null ? null : known.appliedAt()));
                } else if (!"Applied".equals(known.state())
                        || pending.state() != io.meridian.inventory.bundle.BundlePhase.Declared) {
                    byOwner.put(
                            pending.owner(),
                            new ClusterSyncView.OwnerSync(
                                    known.owner(),
                                    known.generationWanted(),
                                    known.generationApplied(),
                                    pending.state().name(),
                                    known.outcomes(),
                                    known.driftPolicy(),
                                    known.lastError(),
                                    known.lastDrift(),
                                    known.lastDriftAt(),
                                    known.appliedAt()));
                }
            }
            return new ClusterSyncView(name, List.copyOf(byOwner.values()));
        });
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "List clusters, filtered and paged by name")
    public Uni<ClusterPage> list(
            @QueryParam("cloud") String cloud,
            @QueryParam("region") String region,
            @QueryParam("environment") String environment,
            @QueryParam("phase") String phase,
            @QueryParam("labelSelector") String labelSelector,
            @QueryParam("q") String text,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("cursor") String cursor) {
        List<FieldProblem> problems = new ArrayList<>();
        if (cloud != null && Cloud.fromWire(cloud).isEmpty()) {
            problems.add(new FieldProblem("cloud", "must be one of " + Cloud.wireNames()));
        }
        if (limit < 1 || limit > MAX_PAGE) {
            problems.add(new FieldProblem("limit", "must be between 1 and " + MAX_PAGE));
        }
        ClusterSelector selector = null;
        try {
            // The cloud, region and environment filters select as a cluster selector's sets do, everywhere alike.
            selector = ClusterSelector.parse(labelSelector)
                    .withClouds(onlyIfGiven(cloud))
                    .withRegions(onlyIfGiven(region))
                    .withEnvironments(onlyIfGiven(environment));
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("labelSelector", e.getMessage()));
        }
        reject(problems);
        var filter = new ClusterRegistry.Filter(
                selector, phase, text == null ? null : text.toLowerCase(java.util.Locale.ROOT));
        return registry.list(filter, limit, cursor)
                .map(page -> new ClusterPage(
                        page.items().stream().map(ClusterView::of).toList(),
                        page.total(),
                        page.nextCursor().orElse(null)));
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One cluster with its observed status")
    public Uni<ClusterView> get(@PathParam("name") String name) {
        return registry.get(name).map(ClusterView::of);
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Register a cluster; its credentials are encrypted and never returned")
    public Uni<Response> register(ClusterRegistration body) {
        if (body == null) {
            throw new ProblemException(Problem.invalid("A registration body is required", List.of()));
        }
        List<FieldProblem> problems = new ArrayList<>();
        Cloud cloud = parseCloud(body.cloud(), problems);
        ClusterCredentials credentials = credentials(body.credentials(), true, problems);
        String apiServerUrl = body.apiServerUrl();
        if ((apiServerUrl == null || apiServerUrl.isBlank())
                && credentials instanceof ClusterCredentials.Kubeconfig kubeconfig
                && problems.isEmpty()) {
            apiServerUrl = ClusterCredentials.serverUrlOf(kubeconfig);
        }
        ClusterSpec spec = new ClusterSpec(
                body.name(),
                body.displayName(),
                cloud == null ? Cloud.OTHER : cloud,
                body.region(),
                body.environment(),
                body.labels(),
                apiServerUrl,
                body.metricsUrl());
        problems.addAll(RegistrationRules.check(spec, true));
        boolean serverFromKubeconfig =
                body.apiServerUrl() == null || body.apiServerUrl().isBlank();
        List<ClusterEndpoints.Endpoint> urls = connectedUrls(
                serverFromKubeconfig ? "credentials.kubeconfig" : "apiServerUrl",
                spec.apiServerUrl(),
                spec.metricsUrl(),
                credentials,
                problems);
        problems.addAll(endpoints.refusals(urls));
        reject(problems);
        return endpoints
                .refusalsAfterResolving(urls)
                .invoke(ClusterResource::reject)
                .chain(allowed -> registry.register(spec, credentials, "api"))
                .map(registered -> Response.created(URI.create("/api/v1/clusters/" + spec.name()))
                        .entity(ClusterView.of(registered))
                        .build());
    }

    @PATCH
    @Path("/{name}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Change a cluster's labels, metadata or credentials",
            description = "Moving a cluster into or out of environment prod, or changing the labels of a prod cluster"
                    + " (or labels that would make it prod), is for fleet-admins only: 403 for an operator.")
    public Uni<ClusterView> update(@PathParam("name") String name, ClusterChange body) {
        if (body == null) {
            throw new ProblemException(Problem.invalid("A change body is required", List.of()));
        }
        List<FieldProblem> problems = new ArrayList<>();
        ClusterCredentials credentials = credentials(body.credentials(), false, problems);
        ClusterSpec probe = new ClusterSpec(
                name,
                body.displayName(),
                Cloud.OTHER,
                body.region(),
                body.environment(),
                body.labels(),
                null,
                body.metricsUrl());
        problems.addAll(RegistrationRules.checkMetadata(probe));
        List<ClusterEndpoints.Endpoint> urls = connectedUrls(null, null, body.metricsUrl(), credentials, problems);
        problems.addAll(endpoints.refusals(urls));
        reject(problems);
        return endpoints
                .refusalsAfterResolving(urls)
                .invoke(ClusterResource::reject)
                .chain(allowed -> registry.update(
                        name,
                        new ClusterRegistry.Update(
                                body.displayName(),
                                body.region(),
                                body.environment(),
                                body.labels() == null ? null : Map.copyOf(body.labels()),
                                body.metricsUrl(),
                                credentials),
                        identity.hasRole(Roles.ADMIN)))
                .map(ClusterView::of);
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Deregister a cluster; inventory disconnects and consumers forget it")
    public Uni<Response> deregister(@PathParam("name") String name) {
        return registry.deregister(name).map(nothing -> Response.noContent().build());
    }

    /**
     * The URLs a registration makes Meridian connect to, with the field that gave each, for the endpoint allow-list:
     * the API server, the metrics endpoint (observability scrapes it) and a kubeconfig's proxy. A field that already
     * has a problem is left out, so a malformed URL is reported once.
     */
    private static List<ClusterEndpoints.Endpoint> connectedUrls(
            String serverField,
            String apiServerUrl,
            String metricsUrl,
            ClusterCredentials credentials,
            List<FieldProblem> problems) {
        List<ClusterEndpoints.Endpoint> urls = new ArrayList<>();
        java.util.function.Predicate<String> clean = field -> problems.stream()
                .noneMatch(p -> p.field().equals(field) || p.field().startsWith(field + "."));
        if (serverField != null && apiServerUrl != null && !apiServerUrl.isBlank() && clean.test(serverField)) {
            urls.add(new ClusterEndpoints.Endpoint(serverField, apiServerUrl));
        }
        if (metricsUrl != null && !metricsUrl.isBlank() && clean.test("metricsUrl")) {
            urls.add(new ClusterEndpoints.Endpoint("metricsUrl", metricsUrl));
        }
        if (credentials instanceof ClusterCredentials.Kubeconfig kubeconfig && clean.test("credentials")) {
            ClusterCredentials.proxyUrlOf(kubeconfig)
                    .ifPresent(proxy -> urls.add(new ClusterEndpoints.Endpoint("credentials.kubeconfig", proxy)));
        }
        return urls;
    }

    private static Cloud parseCloud(String value, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(new FieldProblem("cloud", "is required: one of " + Cloud.wireNames()));
            return null;
        }
        return Cloud.fromWire(value).orElseGet(() -> {
            problems.add(new FieldProblem("cloud", "'" + value + "' is not one of " + Cloud.wireNames()));
            return null;
        });
    }

    private static ClusterCredentials credentials(CredentialsInput in, boolean required, List<FieldProblem> problems) {
        if (in == null) {
            if (required) {
                problems.add(new FieldProblem(
                        "credentials", "are required: a kubeconfig, or a token with an optional caBundle"));
            }
            return null;
        }
        boolean hasKubeconfig = in.kubeconfig() != null && !in.kubeconfig().isBlank();
        boolean hasToken = in.token() != null && !in.token().isBlank();
        if (hasKubeconfig == hasToken) {
            problems.add(new FieldProblem(
                    "credentials", "give exactly one of kubeconfig or token (with an optional caBundle)"));
            return null;
        }
        ClusterCredentials credentials = hasKubeconfig
                ? new ClusterCredentials.Kubeconfig(in.kubeconfig())
                : new ClusterCredentials.BearerToken(
                        in.token(), in.caBundle(), Boolean.TRUE.equals(in.insecureSkipTlsVerify()));
        for (var problem : ClusterCredentials.validate(credentials)) {
            problems.add(new FieldProblem(
                    problem.field().startsWith("credentials") ? problem.field() : "credentials." + problem.field(),
                    problem.message()));
        }
        return credentials;
    }

    private static void reject(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems.stream()
                    .map(p -> new Problem.FieldError(p.field(), p.message()))
                    .toList());
        }
    }

    private static List<String> onlyIfGiven(String value) {
        return value == null ? List.of() : List.of(value);
    }
}
