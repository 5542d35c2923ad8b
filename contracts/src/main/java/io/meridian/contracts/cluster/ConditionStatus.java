package io.meridian.contracts.cluster;

/** The Kubernetes tri-state of a condition. */
public enum ConditionStatus {
    True,
    False,
    Unknown
}
