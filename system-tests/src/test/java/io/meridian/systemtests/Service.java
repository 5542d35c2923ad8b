package io.meridian.systemtests;

import java.util.Locale;

/** The six Meridian services, as packaged by their modules; the system under test starts each of them. */
public enum Service {
    INVENTORY,
    IDENTITY,
    POLICY,
    COST,
    OBSERVABILITY,
    PLACEMENT;

    /** The service's name, as in {@code services/<name>} and in its {@code /api/v1/service} answer. */
    public String serviceName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
