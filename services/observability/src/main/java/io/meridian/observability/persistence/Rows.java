package io.meridian.observability.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.meridian.contracts.EventJson;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions between column values and Java values shared by the stores. */
final class Rows {

    /** One copy of the contracts' mapper (same modules and settings); {@code EventJson.mapper()} copies per call. */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = EventJson.mapper();

    private Rows() {}

    static Instant instant(Object column) {
        return switch (column) {
            case null -> null;
            case OffsetDateTime o -> o.toInstant();
            case Instant i -> i;
            case java.time.LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
            case java.sql.Timestamp t -> t.toInstant();
            case java.time.ZonedDateTime z -> z.toInstant();
            default -> throw new IllegalStateException("not a timestamp: " + column.getClass());
        };
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T json(Object column, TypeReference<T> type) {
        try {
            return JSON.readValue((String) column, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getOriginalMessage());
        }
    }

    static <T> T json(Object column, Class<T> type) {
        try {
            return JSON.readValue((String) column, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getOriginalMessage());
        }
    }
}
