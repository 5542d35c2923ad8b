package io.meridian.cost.api;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.cost.domain.PriceBook;
import io.meridian.cost.domain.PriceOverride;
import io.meridian.cost.persistence.PriceOverrides;
import io.meridian.cost.reconcile.CostModel;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The price catalog in force, and operators' overrides of it (persisted and audited). */
@Path("/api/v1/prices")
@Tag(name = "prices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PriceResource {

    private final CostModel model;
    private final PriceOverrides overrides;
    private final SecurityIdentity identity;

    PriceResource(CostModel model, PriceOverrides overrides, SecurityIdentity identity) {
        this.model = model;
        this.overrides = overrides;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The catalog snapshot (date, sources), on-prem prices and overrides in force")
    public Uni<PriceView> prices() {
        return overrides.all().invoke(model::overrides).map(list -> {
            PriceBook book = model.prices();
            return new PriceView(
                    book.catalog().date(),
                    book.currency(),
                    book.catalog().sources(),
                    book.hoursPerMonth(),
                    book.catalog(),
                    book.onPrem(),
                    list.stream().map(PriceView.OverrideView::of).toList());
        });
    }

    @PUT
    @Path("/overrides")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Set a price in place of the catalog's; applies to windows allocated from now on")
    public Uni<Response> put(PriceOverrideInput body) {
        if (body == null) {
            throw new ProblemException(Problem.invalid("A price override body is required", List.of()));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        PriceOverride.Kind kind = PriceOverride.Kind.parse(body.kind());
        if (kind == null) {
            errors.add(new Problem.FieldError("kind", "must be instance, storage or spot"));
        }
        if (body.cloud() == null || Cloud.fromWire(body.cloud()).isEmpty()) {
            errors.add(new Problem.FieldError("cloud", "must be one of " + Cloud.wireNames()));
        }
        String region = body.region() == null || body.region().isBlank() ? PriceOverride.ANY_REGION : body.region();
        if (!region.matches("\\*|[A-Za-z0-9-]{1,64}")) {
            errors.add(new Problem.FieldError("region", "must be a region name or *"));
        }
        String key = kind == PriceOverride.Kind.spot
                        && (body.key() == null || body.key().isBlank())
                ? "factor"
                : body.key();
        if (key == null || !key.matches("[A-Za-z0-9._/-]{1,128}")) {
            errors.add(new Problem.FieldError("key", "must name the instance type or storage class"));
        } else if (kind == PriceOverride.Kind.spot && !key.equals("factor")) {
            errors.add(new Problem.FieldError("key", "must be 'factor' for a spot override"));
        }
        Double price = body.price();
        if (price == null || !Double.isFinite(price) || price < 0) {
            errors.add(new Problem.FieldError("price", "must be a number >= 0"));
        } else if (kind == PriceOverride.Kind.spot && price > 1) {
            errors.add(new Problem.FieldError("price", "a spot factor is a share of the on-demand price, 0..1"));
        }
        if (body.note() != null && body.note().length() > 500) {
            errors.add(new Problem.FieldError("note", "must be at most 500 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        PriceOverride override = new PriceOverride(kind, body.cloud(), region, key, price);
        return overrides
                .put(override, body.note(), identity.getPrincipal().getName())
                .call(() -> overrides.all().invoke(model::overrides))
                .map(replaced -> Response.status(replaced ? 200 : 201)
                        .entity(PriceView.OverrideView.of(override))
                        .build());
    }

    @DELETE
    @Path("/overrides/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Remove an override: the catalog price applies again")
    public Uni<Response> delete(@PathParam("id") String id) {
        return overrides
                .delete(id)
                .call(() -> overrides.all().invoke(model::overrides))
                .map(x -> Response.noContent().build());
    }
}
