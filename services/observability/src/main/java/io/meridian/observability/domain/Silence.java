package io.meridian.observability.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Mutes the alerts whose labels match every matcher, from {@code startsAt} until {@code endsAt}. */
public record Silence(
        String id,
        List<LabelMatcher> matchers,
        Instant startsAt,
        Instant endsAt,
        String createdBy,
        String comment,
        Instant createdAt) {

    public boolean activeAt(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    public boolean mutes(Map<String, String> labels, Instant now) {
        return activeAt(now) && LabelMatcher.all(matchers, labels);
    }
}
