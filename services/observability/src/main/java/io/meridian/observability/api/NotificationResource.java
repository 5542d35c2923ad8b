package io.meridian.observability.api;

import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.persistence.NotificationStore;
import io.meridian.servicekit.Page;
import io.meridian.servicekit.PageRequest;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The delivery log: every notification planned, newest first, with where its delivery stands. */
@Path("/api/v1/notifications")
@Tag(name = "notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    /**
     * One notification: {@code notification} is firing or resolved; {@code status} is its delivery, pending (queued
     * or waiting to be retried at {@code nextAttemptAt}), delivered or failed. {@code lastError} never carries a
     * secret.
     */
    public record NotificationView(
            String id,
            String receiver,
            String groupKey,
            Map<String, String> groupLabels,
            String notification,
            List<String> alerts,
            String status,
            int attempts,
            Instant nextAttemptAt,
            String lastError,
            Instant createdAt,
            Instant updatedAt) {

        static NotificationView of(NotificationStore.Delivery d) {
            boolean pending = d.status() == NotificationStore.Status.PENDING;
            return new NotificationView(
                    d.dedupKey(),
                    d.notification().receiver(),
                    d.notification().groupKey(),
                    d.notification().groupLabels(),
                    d.notification().status().wire(),
                    d.notification().fingerprints(),
                    d.status().name().toLowerCase(Locale.ROOT),
                    d.attempts(),
                    pending ? d.nextAttemptAt() : null,
                    d.lastError(),
                    d.createdAt(),
                    d.updatedAt());
        }
    }

    private final NotificationStore store;

    NotificationResource(NotificationStore store) {
        this.store = store;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Notifications newest first; alert is a fingerprint, status pending, delivered or failed")
    public Uni<Page<NotificationView>> list(
            @QueryParam("alert") String alert,
            @QueryParam("receiver") String receiver,
            @QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("cursor") String cursor) {
        NotificationStore.Status wanted = null;
        if (status != null && !status.isBlank()) {
            wanted = switch (status) {
                case "pending" -> NotificationStore.Status.PENDING;
                case "delivered" -> NotificationStore.Status.DELIVERED;
                case "failed" -> NotificationStore.Status.FAILED;
                default -> {
                    Invalid.reject(List.of(new FieldProblem("status", "must be pending, delivered or failed")));
                    yield null;
                }
            };
        }
        PageRequest request = PageRequest.of("notifications", limit, cursor, PageRequest.MAX_LIMIT);
        return store.log(new NotificationStore.LogQuery(blank(alert), blank(receiver), wanted), request)
                .map(page -> new Page<>(
                        page.items().stream().map(NotificationView::of).toList(), page.total(), page.nextCursor()));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
