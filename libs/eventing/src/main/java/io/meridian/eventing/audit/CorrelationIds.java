package io.meridian.eventing.audit;

import io.smallrye.common.vertx.ContextLocals;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Gives every HTTP request a correlation id: the caller's {@code X-Correlation-Id} when it is sane,
 * otherwise a new one. It is echoed in the response, put in the log MDC, and carried by every audit
 * record the request causes.
 */
@ApplicationScoped
public class CorrelationIds {

    public static final String HEADER = "X-Correlation-Id";
    private static final String LOCAL_KEY = "meridian.correlation-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void install(@Observes Router router) {
        router.route().order(-1000).handler(rc -> {
            String given = rc.request().getHeader(HEADER);
            String id = given != null && SANE.matcher(given).matches()
                    ? given
                    : UUID.randomUUID().toString();
            ContextLocals.put(LOCAL_KEY, id);
            MDC.put("correlationId", id);
            rc.response().putHeader(HEADER, id);
            rc.next();
        });
    }

    /** The correlation id of the current request, if the caller runs within one. */
    public static Optional<String> current() {
        try {
            return ContextLocals.get(LOCAL_KEY);
        } catch (UnsupportedOperationException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The current id, or a new one for work no request started (consumers, timers). */
    public static String currentOrNew() {
        return current().orElseGet(() -> UUID.randomUUID().toString());
    }
}
