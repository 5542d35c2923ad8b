package io.meridian.observability.domain;

import io.meridian.contracts.alert.AlertEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One evaluation step of the Alertmanager-like lifecycle: pending -> firing after the rule's {@code for},
 * resolved when the condition stops holding; silences and inhibition suppress announcements, never state.
 * Pure: the caller loads the active alerts, calls {@link #step}, and stores and publishes the result.
 */
public final class AlertLifecycle {

    /** A rule and the observations for which its condition held at this step. */
    public record RuleResult(AlertRule rule, List<Observation> holding) {}

    /** What changed: alerts to store (new, updated or resolved) and the events to announce, in order. */
    public record Step(List<Alert> changed, List<AlertEvent> announcements) {}

    private static final Pattern TEMPLATE =
            Pattern.compile("\\{\\{\\s*\\$(labels\\.([a-zA-Z_][a-zA-Z0-9_]*)|value)\\s*}}");

    private AlertLifecycle() {}

    public static Step step(
            Map<String, Alert> active,
            List<RuleResult> results,
            List<Silence> silences,
            List<InhibitionRule> inhibitions,
            Instant now) {
        Map<String, Alert> next = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (RuleResult result : results) {
            AlertRule rule = result.rule();
            for (Observation o : result.holding()) {
                Map<String, String> labels = new TreeMap<>(o.labels());
                labels.putAll(rule.labels());
                labels.put("alertname", rule.name());
                labels.put("severity", rule.severity());
                String fingerprint = Fingerprints.of(labels);
                if (!seen.add(fingerprint)) {
                    continue;
                }
                Map<String, String> annotations = new TreeMap<>();
                rule.annotations()
                        .forEach((name, template) -> annotations.put(name, render(template, labels, o.value())));
                annotations.put("summary", render(rule.summary(), labels, o.value()));
                Alert existing = active.get(fingerprint);
                Alert alert;
                if (existing == null || !existing.active()) {
                    boolean fires = rule.forDuration().isZero();
                    alert = new Alert(
                            fingerprint,
                            rule.name(),
                            rule.severity(),
                            labels,
                            annotations,
                            o.value(),
                            fires ? AlertEvent.State.FIRING : AlertEvent.State.PENDING,
                            now,
                            fires ? now : null,
                            null,
                            null,
                            List.of(),
                            List.of(),
                            null,
                            null);
                } else {
                    boolean fires = existing.state() == AlertEvent.State.FIRING
                            || !now.isBefore(existing.activeSince().plus(rule.forDuration()));
                    alert = new Alert(
                            fingerprint,
                            rule.name(),
                            rule.severity(),
                            labels,
                            annotations,
                            o.value(),
                            fires ? AlertEvent.State.FIRING : AlertEvent.State.PENDING,
                            existing.activeSince(),
                            fires ? (existing.firedAt() == null ? now : existing.firedAt()) : null,
                            null,
                            existing.published(),
                            existing.silencedBy(),
                            existing.inhibitedBy(),
                            existing.acknowledgedBy(),
                            existing.acknowledgedAt());
                }
                next.put(fingerprint, alert);
            }
        }
        for (Alert existing : active.values()) {
            if (existing.active() && !seen.contains(existing.fingerprint())) {
                next.put(
                        existing.fingerprint(),
                        existing.with(
                                AlertEvent.State.RESOLVED,
                                existing.firedAt(),
                                now,
                                existing.published(),
                                List.of(),
                                List.of()));
            }
        }

        List<Alert> firing = next.values().stream()
                .filter(a -> a.state() == AlertEvent.State.FIRING)
                .toList();
        Inhibitions inhibited = new Inhibitions(firing, inhibitions);
        List<Alert> changed = new ArrayList<>();
        List<AlertEvent> announcements = new ArrayList<>();
        for (Alert alert : next.values()) {
            Alert decided = alert;
            if (alert.active()) {
                List<String> silencedBy = silences.stream()
                        .filter(s -> s.mutes(alert.labels(), now))
                        .map(Silence::id)
                        .sorted()
                        .toList();
                List<String> inhibitedBy = inhibited.of(alert);
                decided = alert.with(alert.state(), alert.firedAt(), null, alert.published(), silencedBy, inhibitedBy);
                if (!decided.suppressed() && decided.published() != decided.state()) {
                    decided = decided.with(
                            decided.state(), decided.firedAt(), null, decided.state(), silencedBy, inhibitedBy);
                    announcements.add(decided.toEvent());
                }
            } else if (alert.published() != null && alert.published() != AlertEvent.State.RESOLVED) {
                // Whoever heard an alert begin hears it end, even if it is muted by now.
                decided = alert.with(
                        AlertEvent.State.RESOLVED,
                        alert.firedAt(),
                        alert.resolvedAt(),
                        AlertEvent.State.RESOLVED,
                        List.of(),
                        List.of());
                announcements.add(decided.toEvent());
            }
            Alert before = active.get(decided.fingerprint());
            // A standing alert whose value merely moved is not rewritten every evaluation (thousands of rows
            // at fleet scale); its value is refreshed with its next transition.
            if (before == null || !decided.sameAs(before)) {
                changed.add(decided);
            }
        }
        return new Step(List.copyOf(changed), List.copyOf(announcements));
    }

    /**
     * The firing alerts of each inhibition rule's source, indexed by their values of the rule's {@code equal} labels:
     * finding what inhibits an alert is then one lookup per rule, not a scan of every firing alert (at fleet scale,
     * hundreds of alerts times hundreds of firing ones at every evaluation).
     */
    static final class Inhibitions {
        private final List<InhibitionRule> rules;
        private final List<Map<List<String>, List<String>>> sourcesByRule = new ArrayList<>();

        Inhibitions(List<Alert> firing, List<InhibitionRule> rules) {
            this.rules = rules;
            for (InhibitionRule rule : rules) {
                Map<List<String>, List<String>> sources = new HashMap<>();
                for (Alert source : firing) {
                    if (LabelMatcher.all(rule.source(), source.labels())) {
                        sources.computeIfAbsent(equalValues(rule, source.labels()), k -> new ArrayList<>())
                                .add(source.fingerprint());
                    }
                }
                sourcesByRule.add(sources);
            }
        }

        List<String> of(Alert alert) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                InhibitionRule rule = rules.get(i);
                if (!LabelMatcher.all(rule.target(), alert.labels())) {
                    continue;
                }
                for (String source : sourcesByRule.get(i).getOrDefault(equalValues(rule, alert.labels()), List.of())) {
                    if (!source.equals(alert.fingerprint()) && !out.contains(source)) {
                        out.add(source);
                    }
                }
            }
            out.sort(null);
            return out;
        }

        // A label both lack is equal in both (null), as Alertmanager has it.
        private static List<String> equalValues(InhibitionRule rule, Map<String, String> labels) {
            List<String> values = new ArrayList<>(rule.equal().size());
            rule.equal().forEach(l -> values.add(labels.get(l)));
            return values;
        }
    }

    /** Fills {@code {{ $labels.name }}} and {@code {{ $value }}} in a summary. */
    public static String render(String template, Map<String, String> labels, double value) {
        Matcher m = TEMPLATE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(2) != null ? labels.getOrDefault(m.group(2), "") : format(value);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(java.util.Locale.ROOT, "%.3g", value);
    }
}
