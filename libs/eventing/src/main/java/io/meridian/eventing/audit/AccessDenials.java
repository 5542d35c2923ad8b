package io.meridian.eventing.audit;

import io.meridian.contracts.audit.AuditRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Every 401 and 403 answer of the service becomes an {@code access.denied} audit record on the service's audit topic
 * ({@code fleet.audit.<service>.v1}): the caller (the token's subject when it was valid, else {@code anonymous@<remote
 * address>}), method, path and status. A route filter sees every answer, whichever layer refused (the security layer
 * or a guard rail of the service), after it was sent, so the caller never waits for the audit. At most
 * {@link AccessDenialConfig#perCallerPerMinute()} records per caller and minute: the rest are counted in
 * {@code meridian_audit_access_denied_suppressed_total} and in the caller's next record ({@code suppressed}).
 * Beyond {@link AccessDenialConfig#maxCallers()} callers at once, the untracked ones share one {@code other-callers}
 * record a minute that counts the rest ({@code meridian_audit_access_denied_overflow_total}, and a warning).
 *
 * <p>A denial changes nothing, so there is no transaction of a change to join: the record gets a transaction of its
 * own through the outbox, like every other audit record.
 */
@ApplicationScoped
public class AccessDenials {

    /** The audit action of a refused request. */
    public static final String ACTION = "access.denied";

    /** The actor of the aggregated record that stands for callers beyond the tracked maximum. */
    public static final String OTHER_CALLERS = "other-callers";

    private static final Logger LOG = Logger.getLogger(AccessDenials.class);
    private static final int MAX_PATH = 256;

    private final AuditTrail audit;
    private final Mutiny.SessionFactory sessions;
    private final AccessDenialConfig config;
    private final Clock clock;
    private final DenialRateLimiter limiter;
    private final Counter unauthorized;
    private final Counter forbidden;
    private final Counter suppressed;
    private final Counter overflow;

    AccessDenials(
            AuditTrail audit,
            Mutiny.SessionFactory sessions,
            AccessDenialConfig config,
            Clock clock,
            MeterRegistry meters) {
        this.audit = audit;
        this.sessions = sessions;
        this.config = config;
        this.clock = clock;
        this.limiter = new DenialRateLimiter(config.perCallerPerMinute(), config.maxCallers());
        this.unauthorized = denied(meters, 401);
        this.forbidden = denied(meters, 403);
        this.suppressed = Counter.builder("meridian.audit.access.denied.suppressed")
                .description("401 and 403 answers not recorded in the audit trail: the caller's per-minute limit was"
                        + " reached")
                .register(meters);
        this.overflow = Counter.builder("meridian.audit.access.denied.overflow")
                .description("401 and 403 answers of callers beyond the tracked maximum"
                        + " (meridian.audit.access-denied.max-callers), recorded only in the aggregated"
                        + " 'other-callers' record")
                .register(meters);
    }

    void install(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        // Right after the correlation id (order -1000), before any other handler can answer.
        router.route().order(-999).handler(rc -> {
            Context requestContext = Vertx.currentContext();
            rc.addEndHandler(sent -> {
                int status = rc.response().getStatusCode();
                if (status == 401 || status == 403) {
                    denied(rc, status, requestContext);
                }
            });
            rc.next();
        });
    }

    private void denied(RoutingContext rc, int status, Context requestContext) {
        try {
            (status == 401 ? unauthorized : forbidden).increment();
            String subject = subjectOf(rc);
            String address = rc.request().remoteAddress() == null
                    ? "unknown"
                    : rc.request().remoteAddress().hostAddress();
            String caller = subject != null ? subject : "anonymous@" + address;
            long unrecordedBefore;
            String recordedAs;
            switch (limiter.admit(caller, clock.instant())) {
                case DenialRateLimiter.Admission.Recorded recorded -> {
                    unrecordedBefore = recorded.suppressedBefore();
                    recordedAs = caller;
                }
                case DenialRateLimiter.Admission.RecordedAsOtherCallers aggregated -> {
                    overflow.increment();
                    unrecordedBefore = aggregated.unrecordedBefore();
                    recordedAs = OTHER_CALLERS;
                    LOG.warnf(
                            "more than %d callers were denied within a minute: denials of callers not tracked are"
                                    + " recorded as one '%s' audit record a minute (%d unrecorded before this one)",
                            config.maxCallers(), OTHER_CALLERS, unrecordedBefore);
                }
                case DenialRateLimiter.Admission.Suppressed suppression -> {
                    suppressed.increment();
                    if (suppression.overflow()) {
                        overflow.increment();
                    }
                    return;
                }
            }
            String path = rc.request().path() == null ? "" : rc.request().path();
            if (path.length() > MAX_PATH) {
                path = path.substring(0, MAX_PATH) + "...";
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("method", rc.request().method().name());
            details.put("path", path);
            details.put("status", Integer.toString(status));
            details.put("remoteAddress", address);
            if (unrecordedBefore > 0) {
                details.put("suppressed", Long.toString(unrecordedBefore));
            }
            if (!recordedAs.equals(caller)) {
                // The record stands for every untracked caller of the minute; this one is only the first of them.
                details.put("caller", caller);
            }
            AuditRecord.Actor actor = new AuditRecord.Actor(AuditRecord.ActorType.user, recordedAs);
            AuditRecord.Target target = new AuditRecord.Target("Endpoint", path, null);
            // On the request's own context: Hibernate Reactive needs a safe Vert.x context, and the correlation
            // id of the request lives there.
            Runnable write = () -> sessions.withTransaction(session ->
                            audit.recordAs(session, actor, ACTION, target, AuditRecord.Outcome.denied, details))
                    .subscribe()
                    .with(
                            recorded -> {},
                            failure -> LOG.warnf(
                                    "could not record a denied %s %s of %s: %s",
                                    details.get("method"), details.get("path"), caller, failure.getMessage()));
            if (requestContext != null) {
                requestContext.runOnContext(nothing -> write.run());
            } else {
                write.run();
            }
        } catch (RuntimeException e) {
            // The answer has gone out already; auditing it must never break the server.
            LOG.warnf("could not audit a %d answer: %s", status, e.getMessage());
        }
    }

    /** The subject of a token that was accepted; null when the caller was not authenticated. */
    private static String subjectOf(RoutingContext rc) {
        if (rc.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            if (identity != null && !identity.isAnonymous() && identity.getPrincipal() != null) {
                return identity.getPrincipal().getName();
            }
        }
        return null;
    }

    private static Counter denied(MeterRegistry meters, int status) {
        return Counter.builder("meridian.audit.access.denied")
                .description("401 and 403 answers, each an access.denied audit record unless suppressed")
                .tag("status", Integer.toString(status))
                .register(meters);
    }
}
