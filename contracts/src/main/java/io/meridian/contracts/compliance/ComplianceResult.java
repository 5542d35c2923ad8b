package io.meridian.contracts.compliance;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.meridian.contracts.ObjectRef;
import java.time.Instant;
import java.util.List;

/**
 * The verdict of one policy generation on one observed object: a violation is {@code Open} until the object
 * complies, is waived or is gone. {@code message} may be {@code null}.
 */
public record ComplianceResult(
        String policy,
        long policyGeneration,
        String clusterId,
        ObjectRef object,
        State state,
        Severity severity,
        List<String> categories,
        Action action,
        String message,
        Instant evaluatedAt) {

    public ComplianceResult {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    /** Whether the violation stands. */
    public enum State {
        Open,
        Closed
    }

    /** How bad a violation is, lower-case on the wire. */
    public enum Severity {
        @JsonProperty("low")
        LOW,
        @JsonProperty("medium")
        MEDIUM,
        @JsonProperty("high")
        HIGH,
        @JsonProperty("critical")
        CRITICAL
    }

    /** What the policy does about a violation, as ValidatingAdmissionPolicy actions, lower-case on the wire. */
    public enum Action {
        @JsonProperty("audit")
        AUDIT,
        @JsonProperty("warn")
        WARN,
        @JsonProperty("deny")
        DENY
    }

    /** The record key on {@code fleet.compliance.v1}: {@code policy/clusterId/group/kind/namespace/name}. */
    public String key() {
        return key(policy, clusterId, object);
    }

    public static String key(String policy, String clusterId, ObjectRef object) {
        return policy + "/" + clusterId + "/" + object.key();
    }
}
