package io.meridian.systemtests;

import java.util.Locale;

/** The demo users of the realm {@code meridian} (deploy/keycloak/meridian-realm.json) and their fleet role. */
public enum DemoUser {
    ADMIN("fleet-admin"),
    ADMIN2("fleet-admin"),
    OPERATOR("fleet-operator"),
    VIEWER("fleet-viewer");

    private final String role;

    DemoUser(String role) {
        this.role = role;
    }

    public String username() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Local demo passwords only: the user name followed by {@code -password}. */
    String password() {
        return username() + "-password";
    }

    /** The realm role the user holds. */
    public String role() {
        return role;
    }
}
