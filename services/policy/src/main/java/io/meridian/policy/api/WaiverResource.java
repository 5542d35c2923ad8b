package io.meridian.policy.api;

import io.meridian.policy.domain.Waiver;
import io.meridian.policy.persistence.WaiverStore;
import io.meridian.policy.reconcile.ComplianceReconciler;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Waivers: exempt a policy for a cluster, namespace or object, with a reason and an expiry. */
@Path("/api/v1/waivers")
@Tag(name = "waivers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WaiverResource {

    private final WaiverStore store;
    private final ComplianceReconciler reconciler;
    private final SecurityIdentity identity;
    private final Clock clock;

    WaiverResource(WaiverStore store, ComplianceReconciler reconciler, SecurityIdentity identity, Clock clock) {
        this.store = store;
        this.reconciler = reconciler;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Every waiver, expired ones included until they are revoked")
    public Uni<List<Waiver>> list() {
        return store.list();
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Waive a policy for a cluster, namespace or object until an expiry")
    public Uni<Response> create(WaiverRequest body) {
        if (body == null) {
            throw new ProblemException(Problem.invalid("A waiver body is required", List.of()));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (body.policy() == null || body.policy().isBlank()) {
            errors.add(new Problem.FieldError("policy", "is required"));
        }
        if (body.reason() == null || body.reason().isBlank()) {
            errors.add(new Problem.FieldError("reason", "is required: say why the policy does not apply"));
        } else if (body.reason().length() > 1000) {
            errors.add(new Problem.FieldError("reason", "must be at most 1000 characters"));
        }
        if (body.expiresAt() == null) {
            errors.add(new Problem.FieldError("expiresAt", "is required: every waiver ends"));
        } else if (!body.expiresAt().isAfter(clock.instant())) {
            errors.add(new Problem.FieldError("expiresAt", "must be in the future"));
        }
        if ((body.kind() == null) != (body.name() == null)) {
            errors.add(new Problem.FieldError(
                    body.kind() == null ? "kind" : "name", "kind and name name one object together"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Waiver draft = new Waiver(
                null,
                body.policy(),
                blankToNull(body.clusterId()),
                blankToNull(body.namespace()),
                blankToNull(body.kind()),
                blankToNull(body.name()),
                body.reason(),
                body.expiresAt(),
                null,
                null);
        String actor =
                identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        return store.create(draft, actor).map(waiver -> {
            reconciler.waiversChanged();
            return Response.created(URI.create("/api/v1/waivers/" + waiver.id()))
                    .entity(waiver)
                    .build();
        });
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Revoke a waiver: what it silenced is reported again")
    public Uni<Response> delete(@PathParam("id") String id) {
        return store.delete(id).map(gone -> {
            reconciler.waiversChanged();
            return Response.noContent().build();
        });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
