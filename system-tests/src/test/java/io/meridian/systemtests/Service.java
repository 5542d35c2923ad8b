package io.meridian.systemtests;

import java.util.Locale;

/** The five Meridian services, as packaged by their modules. */
public enum Service {
    INVENTORY,
    IDENTITY,
    POLICY,
    COST,
    OBSERVABILITY;

    /** The service's name, as in {@code services/<name>} and in its {@code /api/v1/service} answer. */
    public String serviceName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
