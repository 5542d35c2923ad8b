package io.meridian.contracts.audit;

import java.time.Instant;
import java.util.Map;

/** One mutation or cluster write, who did it, to what, and how it ended; {@code correlationId} may be null. */
public record AuditRecord(
        String id,
        Actor actor,
        String action,
        Target target,
        Outcome outcome,
        String correlationId,
        String service,
        Instant at,
        Map<String, String> details) {

    public AuditRecord {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** Who acted: a person through the API, or a service on its own. */
    public record Actor(ActorType type, String name) {}

    /** Kind of actor. */
    public enum ActorType {
        user,
        service
    }

    /** What was acted on; {@code clusterId} is {@code null} when the target is not on a cluster. */
    public record Target(String kind, String name, String clusterId) {}

    /** How the action ended. */
    public enum Outcome {
        success,
        denied,
        failed
    }

    /** The record key on the audit topics ({@code fleet.audit.<service>.v1}): target kind + "/" + target name. */
    public String key() {
        return target.kind() + "/" + target.name();
    }
}
