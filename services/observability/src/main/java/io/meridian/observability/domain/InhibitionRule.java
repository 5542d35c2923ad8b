package io.meridian.observability.domain;

import java.util.List;

/**
 * While an alert matching {@code source} fires, alerts matching {@code target} that carry the same values
 * of the {@code equal} labels are inhibited (Alertmanager semantics).
 */
public record InhibitionRule(String name, List<LabelMatcher> source, List<LabelMatcher> target, List<String> equal) {}
