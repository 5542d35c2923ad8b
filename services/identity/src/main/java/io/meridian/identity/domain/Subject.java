package io.meridian.identity.domain;

import java.util.Locale;
import java.util.Optional;

/** The Keycloak group or user a grant is for. */
public record Subject(Kind kind, String name) {

    /** Group or user; lower-case on the wire. */
    public enum Kind {
        GROUP,
        USER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> fromWire(String value) {
            if (value == null) {
                return Optional.empty();
            }
            return switch (value) {
                case "group" -> Optional.of(GROUP);
                case "user" -> Optional.of(USER);
                default -> Optional.empty();
            };
        }
    }

    /** {@code group/payments}, {@code user/alice}: the key on {@code fleet.access.v1}. */
    public String key() {
        return kind.wireName() + "/" + name;
    }
}
