package io.meridian.eventing.audit;

import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.EventingConfig;
import io.meridian.eventing.outbox.Outbox;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Appends audit records to the service's own audit topic ({@code fleet.audit.<service>.v1}, the service being
 * {@link EventingConfig#service()}, which also signs its CloudEvents) through the outbox, in the transaction of the
 * change they describe. The actor is the caller's token subject inside a request, else the service itself.
 */
@ApplicationScoped
public class AuditTrail {

    private final Outbox outbox;
    private final Instance<CurrentIdentityAssociation> identities;
    private final EventingConfig config;
    private final Clock clock;

    AuditTrail(Outbox outbox, Instance<CurrentIdentityAssociation> identities, EventingConfig config, Clock clock) {
        this.outbox = outbox;
        this.identities = identities;
        this.config = config;
        this.clock = clock;
    }

    /** Records an action of the current caller (or of the service, outside a request). */
    public Uni<AuditRecord> record(
            Mutiny.Session session,
            String action,
            AuditRecord.Target target,
            AuditRecord.Outcome outcome,
            Map<String, String> details) {
        return currentActor().chain(actor -> recordAs(session, actor, action, target, outcome, details));
    }

    /** Records an action of a given actor, e.g. the service reacting to an event. */
    public Uni<AuditRecord> recordAs(
            Mutiny.Session session,
            AuditRecord.Actor actor,
            String action,
            AuditRecord.Target target,
            AuditRecord.Outcome outcome,
            Map<String, String> details) {
        Outbox.Message message = messageAs(actor, action, target, outcome, details);
        return outbox.append(session, message).replaceWith((AuditRecord) message.data());
    }

    /**
     * The outbox message recording an action of a given actor, for {@link Outbox#appendAll} when one transaction
     * records many actions.
     */
    public Outbox.Message messageAs(
            AuditRecord.Actor actor,
            String action,
            AuditRecord.Target target,
            AuditRecord.Outcome outcome,
            Map<String, String> details) {
        AuditRecord record = new AuditRecord(
                UUID.randomUUID().toString(),
                actor,
                action,
                target,
                outcome,
                CorrelationIds.currentOrNew(),
                config.service(),
                clock.instant(),
                details);
        return new Outbox.Message(topic(), EventType.AUDIT_RECORD_APPENDED, record.key(), target.name(), record);
    }

    /**
     * This service's audit topic, the only one its Kafka principal may write.
     *
     * @throws IllegalStateException if the catalog has no audit topic for the service
     */
    public Topic topic() {
        return Topic.auditFor(config.service())
                .orElseThrow(() -> new IllegalStateException("service '" + config.service()
                        + "' has no audit topic in the catalog ("
                        + Topic.audit().stream().map(Topic::topicName).toList()
                        + "); meridian.eventing.service must name a Meridian service"));
    }

    /** This service as an actor. */
    public AuditRecord.Actor serviceActor() {
        return new AuditRecord.Actor(AuditRecord.ActorType.service, config.service());
    }

    private Uni<AuditRecord.Actor> currentActor() {
        if (!identities.isResolvable()) {
            return Uni.createFrom().item(serviceActor());
        }
        Uni<SecurityIdentity> deferred;
        try {
            deferred = identities.get().getDeferredIdentity();
        } catch (RuntimeException noRequest) {
            return Uni.createFrom().item(serviceActor());
        }
        return deferred.map(identity -> identity == null || identity.isAnonymous()
                        ? serviceActor()
                        : new AuditRecord.Actor(
                                AuditRecord.ActorType.user,
                                identity.getPrincipal().getName()))
                .onFailure()
                .recoverWithItem(this::serviceActor);
    }
}
