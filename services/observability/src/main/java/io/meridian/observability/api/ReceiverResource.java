package io.meridian.observability.api;

import io.meridian.contracts.alert.AlertEvent;
import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.domain.notify.NotifiableAlert;
import io.meridian.observability.domain.notify.Notification;
import io.meridian.observability.domain.notify.Receiver;
import io.meridian.observability.notify.DeliveryOutcome;
import io.meridian.observability.persistence.ReceiverStore;
import io.meridian.observability.reconcile.NotificationDispatcher;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Receivers of notifications: webhook (Alertmanager's payload v4), Slack, PagerDuty and e-mail over SMTP. Secrets (the
 * webhook and Slack URLs, the PagerDuty routing key, the SMTP password) are write-only: a view says {@code secretSet}
 * instead, and an update that leaves the secret out keeps the stored one.
 */
@Path("/api/v1/receivers")
@Tag(name = "notifications")
@Produces(MediaType.APPLICATION_JSON)
public class ReceiverResource {

    /**
     * A receiver as written. {@code kind} is webhook, slack, pagerduty or email; {@code url} is the secret of a webhook
     * or Slack receiver and PagerDuty's optional Events API endpoint; {@code sendResolved} defaults to true. An e-mail
     * receiver takes {@code to}, {@code from}, {@code smarthost} ({@code host:port}), an optional {@code username},
     * the {@code password} as its secret, and {@code requireTls} (default true: STARTTLS required).
     */
    public record ReceiverRequest(
            String kind,
            String url,
            String channel,
            String routingKey,
            Boolean sendResolved,
            Integer maxAlerts,
            List<String> to,
            String from,
            String smarthost,
            String username,
            String password,
            Boolean requireTls) {

        /** A receiver of an HTTP kind, without the e-mail fields. */
        public ReceiverRequest(
                String kind, String url, String channel, String routingKey, Boolean sendResolved, Integer maxAlerts) {
            this(kind, url, channel, routingKey, sendResolved, maxAlerts, null, null, null, null, null, null);
        }

        // The password is the secret: a request logged or quoted in an error must not carry it.
        @Override
        public String toString() {
            return "ReceiverRequest[kind=" + kind + ", channel=" + channel + ", to=" + to + ", from=" + from
                    + ", smarthost=" + smarthost + ", username=" + username + ", requireTls=" + requireTls + "]";
        }
    }

    /** A receiver as shown: everything but its secret; the e-mail fields are null for other kinds. */
    public record ReceiverView(
            String name,
            String kind,
            boolean sendResolved,
            String channel,
            Integer maxAlerts,
            String url,
            boolean secretSet,
            List<String> to,
            String from,
            String smarthost,
            String username,
            Boolean requireTls) {

        static ReceiverView of(Receiver r) {
            return switch (r) {
                case Receiver.Webhook w ->
                    new ReceiverView(
                            w.name(),
                            w.kind(),
                            w.sendResolved(),
                            null,
                            w.maxAlerts(),
                            null,
                            w.url() != null,
                            null,
                            null,
                            null,
                            null,
                            null);
                case Receiver.Slack s ->
                    new ReceiverView(
                            s.name(),
                            s.kind(),
                            s.sendResolved(),
                            s.channel(),
                            null,
                            null,
                            s.url() != null,
                            null,
                            null,
                            null,
                            null,
                            null);
                case Receiver.PagerDuty p ->
                    new ReceiverView(
                            p.name(),
                            p.kind(),
                            p.sendResolved(),
                            null,
                            null,
                            p.url() == null ? null : p.url().toString(),
                            p.routingKey() != null,
                            null,
                            null,
                            null,
                            null,
                            null);
                case Receiver.Email e ->
                    new ReceiverView(
                            e.name(),
                            e.kind(),
                            e.sendResolved(),
                            null,
                            null,
                            null,
                            e.password() != null,
                            e.to(),
                            e.from(),
                            e.smarthost(),
                            e.username(),
                            e.requireTls());
            };
        }
    }

    /** What a test notification came to. */
    public record TestOutcome(String outcome, Integer status, String reason, Boolean retryable) {
        static TestOutcome of(DeliveryOutcome outcome) {
            return switch (outcome) {
                case DeliveryOutcome.Delivered d -> new TestOutcome("delivered", d.status(), null, null);
                case DeliveryOutcome.Failed f -> new TestOutcome("failed", null, f.reason(), f.retryable());
            };
        }
    }

    private final ReceiverStore store;
    private final NotificationDispatcher dispatcher;
    private final Clock clock;

    ReceiverResource(ReceiverStore store, NotificationDispatcher dispatcher, Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Every receiver, without secrets")
    public Uni<List<ReceiverView>> list() {
        return store.all().map(all -> all.stream().map(ReceiverView::of).toList());
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One receiver, without its secret")
    public Uni<ReceiverView> get(@PathParam("name") String name) {
        return find(name).map(ReceiverView::of);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Create or replace a receiver; leave the secret out to keep the stored one")
    public Uni<Response> put(@PathParam("name") String name, ReceiverRequest body) {
        Receiver receiver = receiver(name, body);
        return store.save(receiver, stored -> problems(receiver, stored))
                .invoke(() -> dispatcher.receiverChanged(name))
                .chain(created -> find(name)
                        .map(saved -> (created
                                        ? Response.created(URI.create("/api/v1/receivers/" + name))
                                        : Response.ok())
                                .entity(ReceiverView.of(saved))
                                .build()));
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Delete a receiver; refused while the route tree sends to it")
    public Uni<Response> delete(@PathParam("name") String name) {
        return store.remove(name)
                .invoke(() -> dispatcher.receiverChanged(name))
                .map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/{name}/test")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Send a synthetic firing notification to the receiver now and answer the outcome")
    public Uni<TestOutcome> test(@PathParam("name") String name) {
        return find(name)
                .chain(receiver -> dispatcher.sendNow(receiver, testNotification(receiver, clock.instant())))
                .map(TestOutcome::of);
    }

    /** A firing notification that names itself a test, with one alert no rule produces. */
    static Notification testNotification(Receiver receiver, Instant now) {
        Map<String, String> labels =
                Map.of("alertname", "MeridianTestNotification", "severity", "info", "receiver", receiver.name());
        NotifiableAlert alert = new NotifiableAlert(
                "test-" + UUID.randomUUID(),
                AlertEvent.State.FIRING,
                labels,
                Map.of("summary", "A test notification from Meridian; no action is needed"),
                now,
                null);
        return new Notification(
                receiver.name(),
                "test:{receiver=\"" + receiver.name() + "\"}",
                Map.of("alertname", "MeridianTestNotification"),
                Notification.Status.FIRING,
                List.of(alert),
                0,
                now);
    }

    private Uni<Receiver> find(String name) {
        return store.get(name).map(found -> found.orElseThrow(() -> ProblemException.notFound("receiver " + name)));
    }

    private List<FieldProblem> problems(Receiver receiver, Optional<Receiver> stored) {
        List<FieldProblem> problems = new ArrayList<>(Receiver.validate(receiver, stored.isEmpty()));
        stored.flatMap(before -> secretMovesWithoutBeingGiven(before, receiver)).ifPresent(problems::add);
        String field = receiver instanceof Receiver.Email ? "smarthost" : "url";
        String endpoint = switch (receiver) {
            case Receiver.Webhook w -> w.url() == null ? null : w.url().toString();
            case Receiver.Slack s -> s.url() == null ? null : s.url().toString();
            case Receiver.PagerDuty p -> p.url() == null ? null : p.url().toString();
            // Judged as a URL so an SMTP server passes the same allow-list as every other endpoint.
            case Receiver.Email e -> "smtp://" + e.smarthost();
        };
        if (endpoint != null && problems.stream().noneMatch(p -> p.field().equals(field))) {
            dispatcher
                    .allowList()
                    .refusal(endpoint)
                    .ifPresent(reason -> problems.add(new FieldProblem(field, "is not allowed: " + reason)));
        }
        return problems;
    }

    /**
     * A kept secret (the request leaves it out) may only stay where it was sent before: a PagerDuty routing key to the
     * same events URL, an SMTP password to the same smarthost and user. Otherwise whoever may edit a receiver could
     * send its stored secret to a host of their choosing without ever knowing it.
     */
    static Optional<FieldProblem> secretMovesWithoutBeingGiven(Receiver before, Receiver after) {
        return switch (after) {
            case Receiver.PagerDuty p
            when p.routingKey() == null
                    && before instanceof Receiver.PagerDuty was
                    && !java.util.Objects.equals(was.url(), p.url()) ->
                Optional.of(new FieldProblem("routingKey", "is required again when url changes"));
            case Receiver.Email e
            when e.password() == null
                    && before instanceof Receiver.Email was
                    && was.password() != null
                    && (!java.util.Objects.equals(was.smarthost(), e.smarthost())
                            || !java.util.Objects.equals(was.username(), e.username())) ->
                Optional.of(new FieldProblem("password", "is required again when smarthost or username changes"));
            default -> Optional.empty();
        };
    }

    /** The receiver a request describes; shape problems (no body, unknown kind, not a URL) are a 400 here. */
    static Receiver receiver(String name, ReceiverRequest body) {
        List<FieldProblem> problems = new ArrayList<>();
        if (body == null) {
            Invalid.reject(List.of(new FieldProblem("body", "a receiver is required")));
        }
        URI url = null;
        if (body.url() != null) {
            try {
                url = new URI(body.url());
            } catch (URISyntaxException e) {
                problems.add(new FieldProblem("url", "is not a URL"));
            }
        }
        boolean sendResolved = body.sendResolved() == null || body.sendResolved();
        String kind = body.kind() == null ? "" : body.kind();
        Receiver receiver = switch (kind) {
            case "webhook" ->
                new Receiver.Webhook(name, url, sendResolved, body.maxAlerts() == null ? 0 : body.maxAlerts());
            case "slack" -> new Receiver.Slack(name, url, body.channel(), sendResolved);
            case "pagerduty" -> new Receiver.PagerDuty(name, body.routingKey(), url, sendResolved);
            case "email" -> email(name, body, sendResolved, problems);
            default -> {
                problems.add(new FieldProblem("kind", "must be webhook, slack, pagerduty or email"));
                yield null;
            }
        };
        Invalid.reject(problems);
        return receiver;
    }

    private static Receiver.Email email(
            String name, ReceiverRequest body, boolean sendResolved, List<FieldProblem> problems) {
        String host = null;
        int port = 0;
        String smarthost = body.smarthost() == null ? "" : body.smarthost().strip();
        // host:port, or [v6-literal]:port; a missing port is refused rather than guessed (25, 465 and 587 all occur).
        int colon = smarthost.lastIndexOf(':');
        boolean bracketed = smarthost.startsWith("[");
        if (colon > 0
                && colon < smarthost.length() - 1
                && (!bracketed || smarthost.charAt(colon - 1) == ']')
                && smarthost.substring(colon + 1).matches("\\d{1,5}")) {
            host = bracketed ? smarthost.substring(1, colon - 1) : smarthost.substring(0, colon);
            port = Integer.parseInt(smarthost.substring(colon + 1));
            if (!bracketed && host.indexOf(':') >= 0) {
                host = null; // an IPv6 literal must be bracketed, or the port is ambiguous
            }
        }
        if (host == null || host.isEmpty()) {
            problems.add(
                    new FieldProblem("smarthost", "must be the SMTP server as host:port, e.g. smtp.example.com:587"));
            host = "";
        }
        return new Receiver.Email(
                name,
                body.to(),
                body.from(),
                host,
                port,
                body.username(),
                body.password(),
                body.requireTls() == null || body.requireTls(),
                sendResolved);
    }
}
