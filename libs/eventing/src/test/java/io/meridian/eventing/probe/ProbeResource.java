package io.meridian.eventing.probe;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.inbound.ProcessedEvents;
import io.meridian.eventing.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/** Drives the eventing pieces inside real requests, on the threads services use them on. */
@Path("/probe")
@RolesAllowed("fleet-operator")
public class ProbeResource {

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final ProcessedEvents processed;
    private final Outbox outbox;

    ProbeResource(Mutiny.SessionFactory sessions, AuditTrail audit, ProcessedEvents processed, Outbox outbox) {
        this.sessions = sessions;
        this.audit = audit;
        this.processed = processed;
        this.outbox = outbox;
    }

    /**
     * Audits a change; with {@code fail=true} the transaction rolls back after the audit was written. The change
     * first writes a row of its own, and {@code padding} characters of detail make its audit record that much larger.
     */
    @POST
    @Path("/audit/{name}")
    public Uni<AuditRecord> audit(
            @PathParam("name") String name, @QueryParam("fail") boolean fail, @QueryParam("padding") int padding) {
        return sessions.withTransaction(session -> processed
                .firstDelivery(session, "probe-change", name)
                .chain(() -> audit.record(
                        session,
                        "probe.touched",
                        new AuditRecord.Target("probe", name, null),
                        AuditRecord.Outcome.success,
                        padding == 0
                                ? Map.of("fail", Boolean.toString(fail))
                                : Map.of("fail", Boolean.toString(fail), "padding", "x".repeat(padding))))
                .invoke(record -> {
                    if (fail) {
                        throw new IllegalStateException("the change failed after it was audited");
                    }
                }));
    }

    /** Audits {@code count} changes in one transaction with one multi-row outbox statement. */
    @POST
    @Path("/audit-batch/{name}")
    public Uni<Integer> auditBatch(@PathParam("name") String name, @QueryParam("count") int count) {
        List<Outbox.Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(audit.messageAs(
                    audit.serviceActor(),
                    "probe.batched",
                    new AuditRecord.Target("probe", name + "-" + i, name),
                    AuditRecord.Outcome.success,
                    Map.of("index", Integer.toString(i))));
        }
        return sessions.withTransaction(session -> outbox.appendAll(session, messages))
                .map(List::size);
    }

    @POST
    @Path("/processed/{id}")
    public Uni<Boolean> processed(@PathParam("id") String id, @QueryParam("fail") boolean fail) {
        return sessions.withTransaction(session -> processed
                .firstDelivery(session, "probe-rest", id)
                .invoke(first -> {
                    if (fail) {
                        throw new IllegalStateException("the effect failed");
                    }
                }));
    }
}
