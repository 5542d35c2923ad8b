package io.meridian.contracts.access;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Keycloak group or user a grant is for. */
public record AccessSubject(Kind kind, String name) {

    /** Group or user, lower-case on the wire. */
    public enum Kind {
        @JsonProperty("group")
        GROUP,
        @JsonProperty("user")
        USER
    }

    /** The record key on {@code fleet.access.v1}: {@code kind/name}, e.g. {@code group/platform-team}. */
    public String key() {
        return (kind == Kind.GROUP ? "group" : "user") + "/" + name;
    }
}
