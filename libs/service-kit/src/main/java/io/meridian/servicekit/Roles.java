package io.meridian.servicekit;

/** Keycloak realm roles of the {@code meridian} realm, as checked by every REST API. */
public final class Roles {

    /** Everything, including guard-railed changes and approvals. */
    public static final String ADMIN = "fleet-admin";

    /** Day-to-day changes: register clusters, write policies and grants within the guard rails. */
    public static final String OPERATOR = "fleet-operator";

    /** Read everything, change nothing. */
    public static final String VIEWER = "fleet-viewer";

    private Roles() {}
}
