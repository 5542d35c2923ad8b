package io.meridian.observability.persistence;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.domain.notify.Receiver;
import io.meridian.observability.domain.notify.RouteSpec;
import io.meridian.observability.domain.notify.RouteTree;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Receivers and the route tree. A receiver's settings are stored without its secret; the secret only sealed by
 * {@link ReceiverSecretCipher}, bound to the receiver's name, and an update without one keeps the stored one.
 */
@ApplicationScoped
public class ReceiverStore {

    private static final String COLUMNS = "name, kind, config, secret";

    private final Mutiny.SessionFactory sessions;
    private final Clock clock;
    private final Optional<ReceiverSecretCipher> cipher;
    private final AuditTrail audit;

    ReceiverStore(Mutiny.SessionFactory sessions, Clock clock, NotificationSecretsConfig keys, AuditTrail audit) {
        this.sessions = sessions;
        this.clock = clock;
        this.audit = audit;
        this.cipher = keys.activeKeyId().map(active -> ReceiverSecretCipher.parse(active, keys.keys()));
    }

    /**
     * Creates or replaces a receiver; a receiver without its secret keeps the stored one. True when it was
     * created.
     */
    public Uni<Boolean> put(Mutiny.Session session, Receiver receiver, String by) {
        String secret = secretOf(receiver);
        String sealed = secret == null ? null : cipher().seal(secret, receiver.name());
        Instant now = clock.instant();
        return session.createNativeQuery(
                        "SELECT kind FROM notification_receiver WHERE name = :name FOR UPDATE", String.class)
                .setParameter("name", receiver.name())
                .getResultList()
                .invoke(found -> {
                    // The stored secret is another kind's (a URL is no routing key): a new kind brings its own.
                    if (sealed == null && !found.isEmpty() && !found.getFirst().equals(receiver.kind())) {
                        throw ProblemException.invalid(
                                secretField(receiver), "is required when the receiver changes kind");
                    }
                })
                .chain(found -> session.createNativeQuery("INSERT INTO notification_receiver (" + COLUMNS
                                + ", updated_by, created_at, updated_at) VALUES (:name, :kind, :config, :secret, :by,"
                                + " :now, :now) ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind,"
                                + " config = EXCLUDED.config,"
                                + " secret = COALESCE(EXCLUDED.secret, notification_receiver.secret),"
                                + " updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at")
                        .setParameter("name", receiver.name())
                        .setParameter("kind", receiver.kind())
                        .setParameter("config", Rows.json(receiver.redacted()))
                        .setParameter("secret", sealed)
                        .setParameter("by", by)
                        .setParameter("now", Rows.timestamp(now))
                        .executeUpdate()
                        .replaceWith(found.isEmpty()));
    }

    /**
     * Creates or replaces a receiver and audits it, in one transaction. {@code check} judges the receiver against the
     * stored one (absent when new): its problems are a 400 and nothing is stored. True when it was created.
     */
    public Uni<Boolean> save(Receiver receiver, Function<Optional<Receiver>, List<FieldProblem>> check) {
        return sessions.withTransaction(session -> get(session, receiver.name()).chain(stored -> {
            reject(check.apply(stored));
            boolean secretChanged = secretOf(receiver) != null;
            return audit.record(
                            session,
                            stored.isEmpty() ? "receiver.created" : "receiver.updated",
                            new AuditRecord.Target("Receiver", receiver.name(), null),
                            AuditRecord.Outcome.success,
                            // The kind and whether the secret changed; never the secret itself.
                            Map.of("kind", receiver.kind(), "secretChanged", Boolean.toString(secretChanged)))
                    .chain(record -> put(session, receiver, record.actor().name()));
        }));
    }

    /**
     * Deletes a receiver and audits it; a 404 when there is none, a 409 while the route tree sends to it (the
     * planner could no longer compile the tree).
     */
    public Uni<Void> remove(String name) {
        return sessions.withTransaction(session -> names(session).chain(names -> {
            if (!names.contains(name)) {
                return Uni.createFrom().failure(ProblemException.notFound("receiver " + name));
            }
            names.remove(name);
            return route(session).chain(route -> {
                if (route.isPresent() && !RouteTree.compile(route.get(), names).valid()) {
                    return Uni.createFrom()
                            .failure(ProblemException.conflict("receiver " + name
                                    + " is used by the route tree; route its alerts elsewhere first"));
                }
                return audit.record(
                                session,
                                "receiver.deleted",
                                new AuditRecord.Target("Receiver", name, null),
                                AuditRecord.Outcome.success,
                                Map.of())
                        .chain(() -> delete(session, name))
                        .replaceWithVoid();
            });
        }));
    }

    /** Replaces the route tree after compiling it against the stored receivers; its problems are a 400. */
    public Uni<Void> saveRoute(RouteSpec spec) {
        return sessions.withTransaction(session -> names(session).chain(names -> {
            reject(RouteTree.compile(spec, names).problems());
            return audit.record(
                            session,
                            "route.updated",
                            new AuditRecord.Target("NotificationRoute", "root", null),
                            AuditRecord.Outcome.success,
                            Map.of(
                                    "receiver",
                                    String.valueOf(spec.receiver()),
                                    "routes",
                                    Integer.toString(count(spec))))
                    .chain(record -> putRoute(session, spec, record.actor().name()));
        }));
    }

    /** Removes the route tree and audits it, in one transaction; a 404 when there is none. */
    public Uni<Void> deleteRoute() {
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "DELETE FROM notification_route WHERE id = 1")
                .executeUpdate()
                .chain(deleted -> {
                    if (deleted == 0) {
                        throw ProblemException.notFound("route tree");
                    }
                    return audit.record(
                                    session,
                                    "route.deleted",
                                    new AuditRecord.Target("NotificationRoute", "root", null),
                                    AuditRecord.Outcome.success,
                                    Map.of())
                            .replaceWithVoid();
                }));
    }

    /** Every receiver with its secret, in a session of its own. */
    public Uni<List<Receiver>> all() {
        return sessions.withSession(this::all);
    }

    /** One receiver with its secret, in a session of its own. */
    public Uni<Optional<Receiver>> get(String name) {
        return sessions.withSession(session -> get(session, name));
    }

    /** The stored route tree, in a session of its own. */
    public Uni<Optional<RouteSpec>> route() {
        return sessions.withSession(this::route);
    }

    /** The names of every receiver. */
    public Uni<Set<String>> names(Mutiny.Session session) {
        return session.createNativeQuery("SELECT name FROM notification_receiver", String.class)
                .getResultList()
                .map(TreeSet::new);
    }

    private static int count(RouteSpec spec) {
        int n = 1;
        for (RouteSpec child : spec.routes()) {
            n += child == null ? 0 : count(child);
        }
        return n;
    }

    private static void reject(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems.stream()
                    .map(p -> new Problem.FieldError(p.field(), p.message()))
                    .toList());
        }
    }

    /** Removes a receiver; false when there was none. */
    public Uni<Boolean> delete(Mutiny.Session session, String name) {
        return session.createNativeQuery("DELETE FROM notification_receiver WHERE name = :name")
                .setParameter("name", name)
                .executeUpdate()
                .map(n -> n > 0);
    }

    /** One receiver with its secret (for delivery); never hand it out unredacted. */
    public Uni<Optional<Receiver>> get(Mutiny.Session session, String name) {
        return session.createNativeQuery(
                        "SELECT " + COLUMNS + " FROM notification_receiver WHERE name = :name", Object[].class)
                .setParameter("name", name)
                .getResultList()
                .map(rows -> rows.stream().findFirst().map(this::receiver));
    }

    /** Every receiver with its secret, by name. */
    public Uni<List<Receiver>> all(Mutiny.Session session) {
        return session.createNativeQuery(
                        "SELECT " + COLUMNS + " FROM notification_receiver ORDER BY name", Object[].class)
                .getResultList()
                .map(rows -> {
                    List<Receiver> out = new ArrayList<>();
                    rows.forEach(r -> out.add(receiver(r)));
                    return out;
                });
    }

    /** The stored route tree as written, if one was. */
    public Uni<Optional<RouteSpec>> route(Mutiny.Session session) {
        return session.createNativeQuery("SELECT spec FROM notification_route WHERE id = 1", Object.class)
                .getResultList()
                .map(rows -> rows.stream().findFirst().map(spec -> Rows.json(spec, RouteSpec.class)));
    }

    public Uni<Void> putRoute(Mutiny.Session session, RouteSpec spec, String by) {
        return session.createNativeQuery("INSERT INTO notification_route (id, spec, updated_by, updated_at) VALUES (1,"
                        + " :spec, :by, :now) ON CONFLICT (id) DO UPDATE SET spec = EXCLUDED.spec,"
                        + " updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at")
                .setParameter("spec", Rows.json(spec))
                .setParameter("by", by)
                .setParameter("now", Rows.timestamp(clock.instant()))
                .executeUpdate()
                .replaceWithVoid();
    }

    /** The secret of a receiver: the part of it that is never shown; null when it has none (or it is kept). */
    static String secretOf(Receiver receiver) {
        return switch (receiver) {
            case Receiver.Webhook w -> w.url() == null ? null : w.url().toString();
            case Receiver.Slack s -> s.url() == null ? null : s.url().toString();
            case Receiver.PagerDuty p -> p.routingKey();
            case Receiver.Email e -> e.password();
        };
    }

    /** The request field that carries a receiver kind's secret. */
    static String secretField(Receiver receiver) {
        return switch (receiver) {
            case Receiver.Webhook w -> "url";
            case Receiver.Slack s -> "url";
            case Receiver.PagerDuty p -> "routingKey";
            case Receiver.Email e -> "password";
        };
    }

    /** A redacted receiver with its secret put back. */
    static Receiver withSecret(Receiver redacted, String secret) {
        if (secret == null) {
            return redacted;
        }
        return switch (redacted) {
            case Receiver.Webhook w ->
                new Receiver.Webhook(w.name(), URI.create(secret), w.sendResolved(), w.maxAlerts());
            case Receiver.Slack s -> new Receiver.Slack(s.name(), URI.create(secret), s.channel(), s.sendResolved());
            case Receiver.PagerDuty p -> new Receiver.PagerDuty(p.name(), secret, p.url(), p.sendResolved());
            case Receiver.Email e ->
                new Receiver.Email(
                        e.name(),
                        e.to(),
                        e.from(),
                        e.host(),
                        e.port(),
                        e.username(),
                        secret,
                        e.requireTls(),
                        e.sendResolved());
        };
    }

    private ReceiverSecretCipher cipher() {
        return cipher.orElseThrow(() -> new IllegalStateException(
                "receiver secrets cannot be stored: set meridian.notifications.secrets.active-key-id and "
                        + ReceiverSecretCipher.KEYS_PROPERTY + ".<id>"));
    }

    private Receiver receiver(Object[] r) {
        String name = (String) r[0];
        Receiver redacted = Rows.json(r[2], kindClass((String) r[1]));
        String sealed = (String) r[3];
        return withSecret(redacted, sealed == null ? null : cipher().open(sealed, name));
    }

    private static Class<? extends Receiver> kindClass(String kind) {
        return switch (kind) {
            case "webhook" -> Receiver.Webhook.class;
            case "slack" -> Receiver.Slack.class;
            case "pagerduty" -> Receiver.PagerDuty.class;
            case "email" -> Receiver.Email.class;
            default -> throw new IllegalStateException("unknown receiver kind " + kind);
        };
    }
}
