package io.meridian.observability.api;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.persistence.AuditIndex;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit index: every service's audit records, searchable and paged newest first. */
@Path("/api/v1/audit")
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final int MAX_PAGE = 500;

    /** A page of records and the cursor of the next page (null on the last). */
    public record AuditPage(List<AuditRecord> items, String nextCursor) {}

    private final AuditIndex index;

    AuditResource(AuditIndex index) {
        this.index = index;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Audit records newest first; target is a name or kind/name; from is inclusive, to exclusive")
    public Uni<AuditPage> query(
            @QueryParam("actor") String actor,
            @QueryParam("cluster") String cluster,
            @QueryParam("action") String action,
            @QueryParam("target") String target,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("cursor") String cursor) {
        List<FieldProblem> problems = new ArrayList<>();
        Instant fromInstant = Invalid.instant("from", from, problems);
        Instant toInstant = Invalid.instant("to", to, problems);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            problems.add(new FieldProblem("to", "must be after from"));
        }
        Invalid.limit(limit, MAX_PAGE, problems);
        if (cursor != null && !AuditIndex.validCursor(cursor)) {
            problems.add(new FieldProblem("cursor", "is not a cursor this API returned"));
        }
        Invalid.reject(problems);
        return index.query(
                        new AuditIndex.Query(
                                blank(actor), blank(cluster), blank(action), blank(target), fromInstant, toInstant),
                        limit,
                        cursor)
                .map(page -> new AuditPage(
                        page.items().stream().map(AuditIndex.Entry::record).toList(),
                        page.nextCursor().orElse(null)));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
