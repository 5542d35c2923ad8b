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
 * Receivers of notifications: webhook (Alertmanager's payload v4), Slack and PagerDuty. Secrets (the webhook and Slack
 * URLs, the PagerDuty routing key) are write-only: a view says {@code secretSet} instead, and an update that leaves the
 * secret out keeps the stored one.
 */
@Path("/api/v1/receivers")
@Tag(name = "notifications")
@Produces(MediaType.APPLICATION_JSON)
public class ReceiverResource {

    /**
     * A receiver as written. {@code kind} is webhook, slack or pagerduty; {@code url} is the secret of a webhook or
     * Slack receiver and PagerDuty's optional Events API endpoint; {@code sendResolved} defaults to true.
     */
    public record ReceiverRequest(
            String kind, String url, String channel, String routingKey, Boolean sendResolved, Integer maxAlerts) {}

    /** A receiver as shown: everything but its secret. */
    public record ReceiverView(
            String name,
            String kind,
            boolean sendResolved,
            String channel,
            Integer maxAlerts,
            String url,
            boolean secretSet) {

        static ReceiverView of(Receiver r) {
            return switch (r) {
                case Receiver.Webhook w ->
                    new ReceiverView(w.name(), w.kind(), w.sendResolved(), null, w.maxAlerts(), null, w.url() != null);
                case Receiver.Slack s ->
                    new ReceiverView(s.name(), s.kind(), s.sendResolved(), s.channel(), null, null, s.url() != null);
                case Receiver.PagerDuty p ->
                    new ReceiverView(
                            p.name(),
                            p.kind(),
                            p.sendResolved(),
                            null,
                            null,
                            p.url() == null ? null : p.url().toString(),
                            p.routingKey() != null);
                case Receiver.Email e ->
                    new ReceiverView(e.name(), e.kind(), e.sendResolved(), null, null, null, e.password() != null);
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
        return store.remove(name).map(ignored -> Response.noContent().build());
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
        URI url = switch (receiver) {
            case Receiver.Webhook w -> w.url();
            case Receiver.Slack s -> s.url();
            case Receiver.PagerDuty p -> p.url();
            case Receiver.Email e -> null;
        };
        if (url != null && problems.stream().noneMatch(p -> p.field().equals("url"))) {
            dispatcher
                    .allowList()
                    .refusal(url.toString())
                    .ifPresent(reason -> problems.add(new FieldProblem("url", "is not allowed: " + reason)));
        }
        return problems;
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
            default -> {
                // E-mail receivers exist in the model but nothing delivers them yet: refusing them is honest.
                problems.add(new FieldProblem("kind", "must be webhook, slack or pagerduty"));
                yield null;
            }
        };
        Invalid.reject(problems);
        return receiver;
    }
}
