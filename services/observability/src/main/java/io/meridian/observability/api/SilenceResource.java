package io.meridian.observability.api;

import io.meridian.observability.domain.Durations;
import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.domain.LabelMatcher;
import io.meridian.observability.domain.RuleCompiler;
import io.meridian.observability.domain.RuleSpec;
import io.meridian.observability.domain.Silence;
import io.meridian.observability.persistence.SilenceStore;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Silences: mute matching alerts until they expire; operators and admins create and expire them. */
@Path("/api/v1/silences")
@Tag(name = "silences")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SilenceResource {

    static final Duration MAX_LENGTH = Duration.ofDays(30);

    /** A new silence: matchers, and an end ({@code endsAt}, or {@code duration} from the start). */
    public record SilenceRequest(
            List<RuleSpec.MatcherSpec> matchers, String startsAt, String endsAt, String duration, String comment) {}

    /** A silence as shown, with whether it is in effect now. */
    public record SilenceView(
            String id,
            List<RuleSpec.MatcherSpec> matchers,
            Instant startsAt,
            Instant endsAt,
            String createdBy,
            String comment,
            Instant createdAt,
            String status) {
        static SilenceView of(Silence s, Instant now) {
            String status = s.activeAt(now) ? "active" : now.isBefore(s.startsAt()) ? "pending" : "expired";
            return new SilenceView(
                    s.id(),
                    SilenceStore.specs(s.matchers()),
                    s.startsAt(),
                    s.endsAt(),
                    s.createdBy(),
                    s.comment(),
                    s.createdAt(),
                    status);
        }
    }

    private final SilenceStore store;
    private final Clock clock;

    SilenceResource(SilenceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Silences in effect or scheduled; with expired=true also the expired ones")
    public Uni<List<SilenceView>> list(@QueryParam("expired") @DefaultValue("false") boolean expired) {
        return store.list(expired).map(all -> {
            Instant now = clock.instant();
            return all.stream().map(s -> SilenceView.of(s, now)).toList();
        });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One silence")
    public Uni<SilenceView> get(@PathParam("id") String id) {
        return store.get(id).map(s -> SilenceView.of(s, clock.instant()));
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Create a silence; it mutes the announcements of every alert whose labels match")
    public Uni<Response> create(SilenceRequest body) {
        List<FieldProblem> problems = new ArrayList<>();
        if (body == null) {
            Invalid.reject(List.of(new FieldProblem("body", "a silence is required")));
        }
        List<LabelMatcher> matchers = RuleCompiler.matchers(body.matchers(), problems, "matchers");
        if (body.matchers() == null || body.matchers().isEmpty()) {
            problems.add(new FieldProblem("matchers", "at least one matcher is required"));
        } else if (matchers.size() == body.matchers().size()
                && matchers.stream().allMatch(m -> m.matches(java.util.Map.of()))) {
            problems.add(new FieldProblem("matchers", "would match every alert; name at least one label value"));
        }
        Instant now = clock.instant();
        Instant startsAt = Invalid.instant("startsAt", body.startsAt(), problems);
        if (startsAt == null || startsAt.isBefore(now)) {
            startsAt = now;
        }
        Instant endsAt = Invalid.instant("endsAt", body.endsAt(), problems);
        if (body.duration() != null) {
            if (body.endsAt() != null) {
                problems.add(new FieldProblem("duration", "give either endsAt or duration"));
            } else {
                try {
                    endsAt = startsAt.plus(Durations.parse(body.duration()));
                } catch (IllegalArgumentException e) {
                    problems.add(new FieldProblem("duration", e.getMessage()));
                }
            }
        }
        if (endsAt == null && body.endsAt() == null && body.duration() == null) {
            problems.add(new FieldProblem("endsAt", "is required (or duration)"));
        } else if (endsAt != null && !endsAt.isAfter(startsAt)) {
            problems.add(new FieldProblem(body.duration() != null ? "duration" : "endsAt", "must end after it starts"));
        } else if (endsAt != null && Duration.between(startsAt, endsAt).compareTo(MAX_LENGTH) > 0) {
            problems.add(new FieldProblem(body.duration() != null ? "duration" : "endsAt", "must be at most 30 days"));
        }
        if (body.comment() != null && body.comment().length() > 1024) {
            problems.add(new FieldProblem("comment", "must be at most 1024 characters"));
        }
        Invalid.reject(problems);
        return store.create(matchers, startsAt, endsAt, body.comment())
                .map(s -> Response.created(URI.create("/api/v1/silences/" + s.id()))
                        .entity(SilenceView.of(s, clock.instant()))
                        .build());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Expire a silence now; muted alerts are announced at the next evaluation")
    public Uni<SilenceView> expire(@PathParam("id") String id) {
        return store.expire(id).map(s -> SilenceView.of(s, clock.instant()));
    }
}
