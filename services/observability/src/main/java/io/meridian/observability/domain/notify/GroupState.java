package io.meridian.observability.domain.notify;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What was last notified for one group of one route: the planner's memory between ticks, stored in the same
 * transaction as the notifications it planned, so a restart neither repeats nor forgets one.
 *
 * @param createdAt when the group's first alert arrived (the group_wait clock)
 * @param lastSentAt when the last notification was planned; null before the first
 * @param lastFiring fingerprints notified as firing in the last notification
 * @param repeats how many times the last notification's content has been repeated (part of the dedup key)
 */
public record GroupState(
        String groupKey,
        String receiver,
        Map<String, String> groupLabels,
        Instant createdAt,
        Instant lastSentAt,
        Set<String> lastFiring,
        int repeats) {

    public GroupState {
        groupLabels = Map.copyOf(groupLabels);
        lastFiring = Set.copyOf(lastFiring);
    }
}
