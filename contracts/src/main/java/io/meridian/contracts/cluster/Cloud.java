package io.meridian.contracts.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The cloud a cluster runs on, lower-case on the wire. */
public enum Cloud {
    @JsonProperty("aws")
    AWS,
    @JsonProperty("azure")
    AZURE,
    @JsonProperty("gcp")
    GCP,
    @JsonProperty("onprem")
    ONPREM,
    @JsonProperty("other")
    OTHER;

    /** The lower-case name used on the wire, in URLs and in labels. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The cloud for a wire name, if it is one. */
    public static Optional<Cloud> fromWire(String value) {
        return Arrays.stream(values()).filter(c -> c.wireName().equals(value)).findFirst();
    }

    /** The wire names, for error messages. */
    public static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(Cloud::wireName).toList());
    }
}
