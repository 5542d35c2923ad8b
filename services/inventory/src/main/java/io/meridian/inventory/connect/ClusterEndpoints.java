package io.meridian.inventory.connect;

import io.meridian.inventory.config.InventoryConfig;
import io.meridian.inventory.registry.FieldProblem;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The allow-list of hosts that cluster API servers and metrics endpoints may be on
 * ({@value #PROPERTY}): judged on the URL when a registration or change is accepted, and with DNS both then and
 * right before connecting, so that a name which resolves somewhere it should not (a metadata service, an internal
 * address) is refused even when it was registered while it resolved elsewhere. The connection then goes to the very
 * address judged ({@link PinnedEndpoint}). Unset, any host is allowed except reserved addresses (cloud metadata,
 * link-local, unspecified, multicast, broadcast); loopback stays open for the local stack.
 */
@ApplicationScoped
public class ClusterEndpoints {

    /** Where operators list the allowed hosts; named in every refusal. */
    public static final String PROPERTY = "meridian.inventory.cluster-endpoints.allowed";

    private static final Logger LOG = Logger.getLogger(ClusterEndpoints.class);

    private final EndpointAllowList allowList;
    private final EndpointAllowList.Resolver resolver;

    ClusterEndpoints(InventoryConfig config) {
        this.allowList =
                EndpointAllowList.of(PROPERTY, config.clusterEndpoints().allowed());
        this.resolver = EndpointAllowList.Resolver.SYSTEM;
    }

    void warnWhenOpen(@Observes StartupEvent started) {
        if (allowList.allowsAny()) {
            LOG.warnf(
                    "cluster endpoints are not restricted: a cluster may be registered with an API server or metrics"
                            + " URL on any host but cloud metadata and other reserved addresses, so whoever may"
                            + " register clusters makes inventory connect to any internal service. Set %s to the host"
                            + " globs and CIDRs of your clusters, e.g. *.eks.amazonaws.com,10.0.0.0/8",
                    PROPERTY);
        } else {
            LOG.infof("cluster endpoints allowed: %s", allowList);
        }
    }

    /** A URL Meridian would connect to, and the request field that gave it. */
    public record Endpoint(String field, String url) {}

    /** Refusals judged on the URLs alone (no DNS), one per endpoint refused, naming its field. */
    public List<FieldProblem> refusals(List<Endpoint> urls) {
        List<FieldProblem> problems = new ArrayList<>();
        for (Endpoint endpoint : urls) {
            allowList
                    .refusal(endpoint.url())
                    .ifPresent(reason -> problems.add(new FieldProblem(endpoint.field(), reason)));
        }
        return problems;
    }

    /**
     * Refusals once each URL's host is resolved. DNS blocks, so it runs on a worker thread, and the answer comes back
     * on the caller's Vert.x context (a request's), where Hibernate Reactive expects the next step.
     */
    public Uni<List<FieldProblem>> refusalsAfterResolving(List<Endpoint> urls) {
        // Even with no list configured: a name may resolve to a metadata service, which is refused always.
        if (urls.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Uni<List<FieldProblem>> resolved = Uni.createFrom()
                .item(() -> {
                    List<FieldProblem> problems = new ArrayList<>();
                    for (Endpoint endpoint : urls) {
                        allowList
                                .refusal(endpoint.url(), resolver)
                                .ifPresent(reason -> problems.add(new FieldProblem(endpoint.field(), reason)));
                    }
                    return problems;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        Context context = Vertx.currentContext();
        return context == null ? resolved : resolved.emitOn(command -> context.runOnContext(nothing -> command.run()));
    }

    /** Why connecting to {@code url} is refused now, resolving its host; blocks on DNS, so never on an event loop. */
    public Optional<String> refusalToConnect(String url) {
        return allowList.refusal(url, resolver);
    }

    /**
     * Resolves and judges an API server URL now, for a connection that must connect to the judged address only;
     * blocks on DNS, so never on an event loop.
     */
    PinnedEndpoint pin(String url) {
        return PinnedEndpoint.resolve(url, u -> allowList.check(u, resolver));
    }
}
