package io.meridian.contracts.desired;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What inventory does when a managed object is changed out of band: put it back, or only report it. */
public enum DriftPolicy {
    @JsonProperty("repair")
    REPAIR,
    @JsonProperty("report")
    REPORT
}
