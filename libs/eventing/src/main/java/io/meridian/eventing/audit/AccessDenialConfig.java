package io.meridian.eventing.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How 401 and 403 answers are audited ({@code meridian.audit.access-denied.*}). */
@ConfigMapping(prefix = "meridian.audit.access-denied")
public interface AccessDenialConfig {

    /** Whether every 401 and 403 answer becomes an {@code access.denied} audit record. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Records per caller (token subject, else remote address) and minute; the rest are counted, in the metric and
     * in the caller's next record, so that a caller hammering the API cannot flood the audit trail.
     */
    @WithDefault("10")
    int perCallerPerMinute();

    /**
     * Callers tracked at once, so that requests from ever new tokens or addresses cannot grow memory without bound.
     * A new caller takes the place of a window that is over; beyond that, denials of untracked callers share one
     * {@code other-callers} record a minute that counts the others.
     */
    @WithDefault("10000")
    int maxCallers();
}
