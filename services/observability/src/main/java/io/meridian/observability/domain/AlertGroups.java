package io.meridian.observability.domain;

import io.meridian.contracts.alert.AlertEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Groups alerts by the values of some labels, as Alertmanager's {@code group_by} does for notifications. */
public final class AlertGroups {

    /** The alerts sharing one combination of the grouping labels, with counts per state. */
    public record Group(Map<String, String> labels, Map<AlertEvent.State, Integer> counts, List<Alert> alerts) {}

    private AlertGroups() {}

    public static List<Group> group(List<Alert> alerts, List<String> by) {
        Map<Map<String, String>, List<Alert>> groups = new LinkedHashMap<>();
        for (Alert a : alerts) {
            Map<String, String> key = new TreeMap<>();
            for (String label : by) {
                key.put(label, a.labels().getOrDefault(label, ""));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
        }
        List<Group> out = new ArrayList<>();
        groups.forEach((key, members) -> {
            Map<AlertEvent.State, Integer> counts = new EnumMap<>(AlertEvent.State.class);
            members.forEach(a -> counts.merge(a.state(), 1, Integer::sum));
            out.add(new Group(key, counts, List.copyOf(members)));
        });
        out.sort(Comparator.comparing(g -> g.labels().toString()));
        return out;
    }
}
