package io.meridian.observability.api;

import io.meridian.observability.domain.Alert;
import io.meridian.observability.domain.AlertGroups;
import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.persistence.AlertStore;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Alerts: list and filter, group, acknowledge. */
@Path("/api/v1/alerts")
@Tag(name = "alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    static final int MAX_PAGE = 1000;
    static final Set<String> STATES = Set.of("pending", "firing", "resolved");

    /** An acknowledgement's optional comment. */
    public record Acknowledgement(String comment) {}

    private final AlertStore store;

    AlertResource(AlertStore store) {
        this.store = store;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Alerts, newest first, filtered by state, severity, cluster, alert name and acknowledgement")
    public Uni<List<Alert>> list(
            @QueryParam("state") String state,
            @QueryParam("severity") String severity,
            @QueryParam("cluster") String cluster,
            @QueryParam("alertname") String alertname,
            @QueryParam("acknowledged") String acknowledged,
            @QueryParam("limit") @DefaultValue("200") int limit) {
        return store.list(filter(state, severity, cluster, alertname, acknowledged, limit), limit);
    }

    @GET
    @Path("/groups")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Alerts grouped by the values of the labels in 'by' (default alertname,cluster)")
    public Uni<List<AlertGroups.Group>> groups(
            @QueryParam("by") @DefaultValue("alertname,cluster") String by,
            @QueryParam("state") String state,
            @QueryParam("severity") String severity,
            @QueryParam("cluster") String cluster) {
        List<String> labels = Arrays.stream(by.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        List<FieldProblem> problems = new ArrayList<>();
        if (labels.isEmpty() || labels.stream().anyMatch(l -> !l.matches("[a-zA-Z_][a-zA-Z0-9_]*"))) {
            problems.add(new FieldProblem("by", "must be a comma-separated list of label names"));
        }
        Invalid.reject(problems);
        return store.list(filter(state, severity, cluster, null, null, MAX_PAGE), MAX_PAGE * 10)
                .map(alerts -> AlertGroups.group(alerts, labels));
    }

    @GET
    @Path("/{fingerprint}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One alert by fingerprint")
    public Uni<Alert> get(@PathParam("fingerprint") String fingerprint) {
        return store.get(fingerprint);
    }

    @POST
    @Path("/{fingerprint}/acknowledge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Acknowledge an alert: someone is on it (audited; the alert keeps its state)")
    public Uni<Alert> acknowledge(@PathParam("fingerprint") String fingerprint, Acknowledgement body) {
        String comment = body == null ? null : body.comment();
        if (comment != null && comment.length() > 1024) {
            Invalid.reject(List.of(new FieldProblem("comment", "must be at most 1024 characters")));
        }
        return store.acknowledge(fingerprint, comment);
    }

    private static AlertStore.Filter filter(
            String state, String severity, String cluster, String alertname, String acknowledged, int limit) {
        List<FieldProblem> problems = new ArrayList<>();
        if (state != null && !STATES.contains(state)) {
            problems.add(new FieldProblem("state", "must be one of pending, firing, resolved"));
        }
        if (severity != null && !io.meridian.observability.domain.RuleCompiler.SEVERITIES.contains(severity)) {
            problems.add(new FieldProblem("severity", "must be one of info, warning, critical"));
        }
        Boolean acked = null;
        if (acknowledged != null) {
            if (!acknowledged.equals("true") && !acknowledged.equals("false")) {
                problems.add(new FieldProblem("acknowledged", "must be true or false"));
            } else {
                acked = Boolean.valueOf(acknowledged);
            }
        }
        Invalid.limit(limit, MAX_PAGE, problems);
        Invalid.reject(problems);
        return new AlertStore.Filter(state, severity, cluster, alertname, acked);
    }
}
