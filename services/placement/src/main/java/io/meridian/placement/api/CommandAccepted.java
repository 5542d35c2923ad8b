package io.meridian.placement.api;

import java.time.Instant;
import java.util.List;

/**
 * An operator's command recorded for the workload's next reconcile, which runs right away: {@code resume}, {@code
 * failover} or {@code failback} (with its clusters). {@code GET .../placement} shows the effect.
 */
public record CommandAccepted(String workload, String command, List<String> clusters, String requestedBy, Instant at) {}
