package io.meridian.cost.api;

import io.meridian.cost.domain.BudgetScopes;
import io.meridian.cost.domain.BudgetStatus;
import io.meridian.cost.persistence.BudgetStore;
import io.meridian.cost.reconcile.BudgetWatch;
import io.meridian.cost.reconcile.CostQueries;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

/** Monthly budgets per team label, cluster or cloud, with spend to date and forecast. */
@Path("/api/v1/budgets")
@Tag(name = "budgets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BudgetResource {

    private final BudgetStore budgets;
    private final BudgetWatch watch;
    private final CostQueries queries;
    private final SecurityIdentity identity;
    private final Clock clock;

    BudgetResource(
            BudgetStore budgets, BudgetWatch watch, CostQueries queries, SecurityIdentity identity, Clock clock) {
        this.budgets = budgets;
        this.watch = watch;
        this.queries = queries;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Every budget with its spend to date and forecast to month end")
    public Uni<List<BudgetView>> list() {
        return budgets.all()
                .onItem()
                .transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem()
                .transformToUniAndConcatenate(this::view)
                .collect()
                .asList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One budget")
    public Uni<BudgetView> get(@PathParam("id") String id) {
        return budgets.get(id).chain(this::view);
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Create a monthly budget; thresholds (80 %, 100 %, forecast) are announced on fleet.cost.v1")
    public Uni<Response> create(BudgetInput body) {
        if (body == null) {
            throw new ProblemException(Problem.invalid("A budget body is required", List.of()));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (body.name() == null || body.name().isBlank() || body.name().length() > 100) {
            errors.add(new Problem.FieldError("name", "is required, at most 100 characters"));
        }
        BudgetScopes.problem(body.scope()).ifPresent(p -> errors.add(new Problem.FieldError("scope", p)));
        amountProblem(body.monthlyAmount()).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return budgets.create(
                        body.name().trim(),
                        body.scope(),
                        body.monthlyAmount(),
                        queries.currency(),
                        identity.getPrincipal().getName())
                .chain(this::view)
                .map(view -> Response.created(URI.create("/api/v1/budgets/" + view.id()))
                        .entity(view)
                        .build());
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Change a budget's monthly amount")
    public Uni<BudgetView> update(@PathParam("id") String id, BudgetInput body) {
        if (body == null) {
            throw new ProblemException(Problem.invalid("A budget body is required", List.of()));
        }
        amountProblem(body.monthlyAmount()).ifPresent(e -> {
            throw ProblemException.invalid(List.of(e));
        });
        return budgets.updateAmount(id, body.monthlyAmount()).chain(this::view);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Delete a budget")
    public Uni<Response> delete(@PathParam("id") String id) {
        return budgets.delete(id).map(x -> Response.noContent().build());
    }

    private static java.util.Optional<Problem.FieldError> amountProblem(Double amount) {
        if (amount == null || !Double.isFinite(amount) || amount <= 0 || amount > 1e12) {
            return java.util.Optional.of(new Problem.FieldError("monthlyAmount", "must be a number > 0"));
        }
        return java.util.Optional.empty();
    }

    private Uni<BudgetView> view(BudgetStore.Budget b) {
        String month = BudgetStatus.month(clock.instant());
        return watch.status(b)
                .chain(status -> budgets.announced(b.id(), month)
                        .map(announced -> new BudgetView(
                                b.id(),
                                b.name(),
                                b.scope(),
                                b.monthlyAmount(),
                                b.currency(),
                                month,
                                status.spendToDate(),
                                status.forecast(),
                                b.monthlyAmount() > 0 ? 100.0 * status.spendToDate() / b.monthlyAmount() : 0,
                                status.crossed().stream().map(Enum::name).toList(),
                                announced,
                                b.createdAt())));
    }
}
