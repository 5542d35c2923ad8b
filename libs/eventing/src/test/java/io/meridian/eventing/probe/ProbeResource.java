package io.meridian.eventing.probe;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.inbound.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/** Drives the eventing pieces inside real requests, on the threads services use them on. */
@Path("/probe")
@RolesAllowed("fleet-operator")
public class ProbeResource {

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final ProcessedEvents processed;

    ProbeResource(Mutiny.SessionFactory sessions, AuditTrail audit, ProcessedEvents processed) {
        this.sessions = sessions;
        this.audit = audit;
        this.processed = processed;
    }

    /** Audits a change; with {@code fail=true} the transaction rolls back after the audit was written. */
    @POST
    @Path("/audit/{name}")
    public Uni<AuditRecord> audit(@PathParam("name") String name, @QueryParam("fail") boolean fail) {
        return sessions.withTransaction(session -> audit.record(
                        session,
                        "probe.touched",
                        new AuditRecord.Target("probe", name, null),
                        AuditRecord.Outcome.success,
                        Map.of("fail", Boolean.toString(fail)))
                .invoke(record -> {
                    if (fail) {
                        throw new IllegalStateException("the change failed after it was audited");
                    }
                }));
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
