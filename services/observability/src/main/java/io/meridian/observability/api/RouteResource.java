package io.meridian.observability.api;

import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.domain.notify.RouteSpec;
import io.meridian.observability.persistence.ReceiverStore;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The notification route tree, Alertmanager's shape: the root names the default receiver; children match labels
 * ({@code =}, {@code !=}, {@code =~}, {@code !~}), may {@code continueMatching}, and override grouping and intervals.
 */
@Path("/api/v1/routes")
@Tag(name = "notifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RouteResource {

    private final ReceiverStore store;

    RouteResource(ReceiverStore store) {
        this.store = store;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The route tree as written; 404 before one is written")
    public Uni<RouteSpec> get() {
        return store.route().map(found -> found.orElseThrow(() -> ProblemException.notFound("route tree")));
    }

    @PUT
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Replace the route tree; every receiver it names must exist, every matcher must compile")
    public Uni<RouteSpec> put(RouteSpec body) {
        if (body == null) {
            Invalid.reject(List.of(new FieldProblem("body", "a route tree is required")));
        }
        return store.saveRoute(body).replaceWith(body);
    }

    @DELETE
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Remove the route tree: no alert is routed to any receiver until one is written again (what is"
                    + " already queued is still delivered); 404 when there is none")
    public Uni<Void> delete() {
        return store.deleteRoute();
    }
}
