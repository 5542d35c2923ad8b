package io.meridian.contracts.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;

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
    OTHER
}
