package io.meridian.servicekit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.meridian.contracts.kafka.EventTooLargeException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as {@code application/problem+json}. Client mistakes are 4xx naming the field;
 * only a fault of ours is a 500, and its detail never carries internals (they go to the log).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response violations(ResteasyReactiveViolationException e) {
        if (e.getConstraintViolations().stream()
                .anyMatch(v -> v.getPropertyPath().toString().contains("<return value>"))) {
            return serverFault(e);
        }
        return invalid(e);
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e) {
        return invalid(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return unreadable(e);
    }

    /**
     * A change whose event would be larger than the service may publish: nothing was written (the transaction rolled
     * back), and the caller learns which event, by how much, and what to do.
     */
    @ServerExceptionMapper
    public Response tooLarge(EventTooLargeException e) {
        return respond(tooLargeProblem(e));
    }

    static Problem tooLargeProblem(EventTooLargeException e) {
        String detail = String.format(
                Locale.ROOT,
                "Nothing was changed: the %s event this change produces%s would be %,d bytes on %s, %,d bytes over the"
                        + " limit of %,d bytes. Make the request smaller by at least that much (shorter or fewer"
                        + " fields, e.g. split a large manifest or list into several resources) and send it again.",
                e.eventType(),
                e.subject() == null ? "" : " (about '" + abbreviated(e.subject()) + "')",
                e.recordBytes(),
                e.topic(),
                e.excessBytes(),
                e.limitBytes());
        return new Problem(
                URI.create("https://meridian.io/problems/event-too-large"),
                "Content too large",
                413,
                detail,
                null,
                List.of());
    }

    private static String abbreviated(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(
                403, "Forbidden", "Your token lacks a role this operation needs; ask a fleet-admin for access."));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            return serverFault(e);
        }
        String detail = e.getMessage() == null ? original.getStatusInfo().getReasonPhrase() : e.getMessage();
        return respond(Problem.of(status, original.getStatusInfo().getReasonPhrase(), detail));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        return serverFault(e);
    }

    private static Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail =
                errors.stream().map(err -> err.field() + " " + err.message()).collect(Collectors.joining("; "));
        return respond(Problem.invalid(detail, errors));
    }

    private static Response unreadable(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? pathOf(m) : "";
        String message = e.getOriginalMessage();
        if (message != null && message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        List<Problem.FieldError> errors =
                field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, "has the wrong type or shape"));
        return respond(Problem.invalid(
                "The request body is not valid JSON for this operation" + (field.isEmpty() ? "" : " (at " + field + ")")
                        + ": " + message,
                errors));
    }

    private static Response unauthorized() {
        return Response.fromResponse(respond(Problem.of(
                        401,
                        "Unauthorized",
                        "Send a valid bearer token from the meridian realm: Authorization: Bearer <token>.")))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"meridian\"")
                .build();
    }

    private static Response serverFault(Throwable e) {
        LOG.error("request failed unexpectedly", e);
        return respond(Problem.of(
                500, "Internal error", "The service failed unexpectedly; the log has the details. Retrying may help."));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    /** {@code create.body.labels[team]} becomes {@code labels[team]}; a query parameter keeps its name. */
    static String fieldOf(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            String name = node.getName() == null ? "" : node.getName();
            if (node.getKey() != null) {
                name = name + "[" + node.getKey() + "]";
            } else if (node.getIndex() != null) {
                name = name + "[" + node.getIndex() + "]";
            }
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            return parameter == null ? violation.getPropertyPath().toString() : parameter;
        }
        return String.join(".", names);
    }

    /** Where in a JSON (or YAML) document a mapping failed, as the API names fields: {@code manifests[2].kind}. */
    public static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
