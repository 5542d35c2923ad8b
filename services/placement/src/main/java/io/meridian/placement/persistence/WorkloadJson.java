package io.meridian.placement.persistence;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meridian.placement.domain.Preference;
import io.meridian.placement.domain.Workload;

/**
 * How placement's JSON columns hold the domain records: as Jackson writes them, with times and durations in ISO-8601,
 * and a {@code type} on the preference, whose alternatives are otherwise indistinguishable. Unknown fields are
 * ignored, so a row written by a newer version with more fields still reads.
 */
public final class WorkloadJson {

    static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
            .configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false)
            .addMixIn(Preference.class, PreferenceTypes.class)
            .build();

    private WorkloadJson() {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Preference.Cheapest.class, name = "cheapest"),
        @JsonSubTypes.Type(value = Preference.MostFreeCapacity.class, name = "mostFreeCapacity"),
        @JsonSubTypes.Type(value = Preference.LabelOrder.class, name = "labelOrder")
    })
    private interface PreferenceTypes {}

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T read(String json, Class<T> type, String what) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " cannot be read", e);
        }
    }

    /**
     * Whether two declarations say the same thing, generations aside: the test for "same content, same generation".
     * Both are compared as they read back from a column, so a number or a set compares the same way whichever way it
     * was built; maps compare without order, and the nulls of merge patches count.
     */
    public static boolean sameContent(Workload a, Workload b) {
        return asStored(a).equals(asStored(b));
    }

    private static Workload asStored(Workload w) {
        Workload withoutGeneration = new Workload(
                w.name(), w.namespace(), 0, w.manifests(), w.placement(), w.rollout(), w.failover(), w.overrides());
        return read(write(withoutGeneration), Workload.class, "workload " + w.name());
    }
}
