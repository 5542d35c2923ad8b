package io.meridian.observability.domain.notify;

import io.meridian.observability.domain.InhibitionRule;
import io.meridian.observability.domain.LabelMatcher;
import io.meridian.observability.domain.Silence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which notifications are due now, as Alertmanager's dispatcher does: a new group waits
 * {@code group_wait} and then notifies; later changes (a new firing alert, or a resolved one when the receiver
 * wants them) go out at most every {@code group_interval}; an unchanged firing group is repeated after
 * {@code repeat_interval}; when every alert of a notified group has resolved, a resolved notification ends it.
 * Silenced and inhibited alerts are left out. Pure: the caller passes the time and stores the returned groups
 * with the notifications, atomically.
 */
public final class NotificationPlanner {

    /** The notifications due now and every group's state after them (groups absent here are ended). */
    public record Plan(List<Notification> notifications, Map<String, GroupState> groups) {
        public Plan {
            notifications = List.copyOf(notifications);
            groups = Map.copyOf(groups);
        }
    }

    /** One group's alerts in this tick. */
    private record Members(
            String receiver, Map<String, String> groupLabels, RouteTree.Node node, List<NotifiableAlert> alerts) {}

    private NotificationPlanner() {}

    public static Plan plan(
            Instant now,
            RouteTree tree,
            Map<String, Receiver> receivers,
            Collection<NotifiableAlert> alerts,
            List<Silence> silences,
            List<InhibitionRule> inhibitions,
            Map<String, GroupState> groups) {
        List<NotifiableAlert> firing =
                alerts.stream().filter(NotifiableAlert::firing).toList();
        Map<String, Members> members = new TreeMap<>();
        for (NotifiableAlert alert : alerts) {
            if (alert.firing() && muted(alert, firing, silences, inhibitions, now)) {
                continue;
            }
            for (RouteTree.Node node : tree.match(alert.labels())) {
                Map<String, String> groupLabels = node.settings().groupLabels(alert.labels());
                String key = RouteTree.groupKey(node, groupLabels);
                members.computeIfAbsent(
                                key, k -> new Members(node.settings().receiver(), groupLabels, node, new ArrayList<>()))
                        .alerts()
                        .add(alert);
            }
        }
        List<Notification> out = new ArrayList<>();
        Map<String, GroupState> next = new LinkedHashMap<>();
        Set<String> keys = new TreeSet<>(members.keySet());
        keys.addAll(groups.keySet());
        for (String key : keys) {
            Members m = members.get(key);
            GroupState state = groups.get(key);
            List<NotifiableAlert> groupFiring = m == null
                    ? List.of()
                    : m.alerts().stream().filter(NotifiableAlert::firing).toList();
            if (state == null) {
                if (groupFiring.isEmpty()) {
                    continue; // resolved alerts never notified as firing here: nothing to say
                }
                state = new GroupState(key, m.receiver(), m.groupLabels(), now, null, Set.of(), 0);
            }
            // A group whose route is gone (the tree changed) still ends with its resolved notification.
            RouteTree.Settings settings = m == null ? null : m.node().settings();
            Receiver receiver = receivers.get(m == null ? state.receiver() : m.receiver());
            if (receiver == null) {
                continue; // the receiver was deleted: forget the group
            }
            boolean due = state.lastSentAt() == null
                    ? !now.isBefore(
                            state.createdAt().plus(settings == null ? java.time.Duration.ZERO : settings.groupWait()))
                    : settings == null || !now.isBefore(state.lastSentAt().plus(settings.groupInterval()));
            if (!due) {
                next.put(key, state);
                continue;
            }
            Set<String> lastFiring = state.lastFiring();
            List<NotifiableAlert> newlyResolved = m == null
                    ? List.of()
                    : m.alerts().stream()
                            .filter(a -> !a.firing() && lastFiring.contains(a.fingerprint()))
                            .toList();
            Set<String> firingNow = new HashSet<>();
            groupFiring.forEach(a -> firingNow.add(a.fingerprint()));
            if (groupFiring.isEmpty()) {
                if (receiver.sendResolved() && !newlyResolved.isEmpty()) {
                    out.add(new Notification(
                            receiver.name(),
                            key,
                            state.groupLabels(),
                            Notification.Status.RESOLVED,
                            newlyResolved,
                            0,
                            now));
                }
                continue; // the group ends; the next firing alert starts a new one after group_wait
            }
            boolean changed =
                    !lastFiring.containsAll(firingNow) || (receiver.sendResolved() && !newlyResolved.isEmpty());
            boolean repeat = !changed
                    && state.lastSentAt() != null
                    && !now.isBefore(state.lastSentAt().plus(settings.repeatInterval()));
            if (changed || repeat) {
                List<NotifiableAlert> sent = new ArrayList<>(groupFiring);
                if (receiver.sendResolved()) {
                    sent.addAll(newlyResolved);
                }
                int repeats = changed ? 0 : state.repeats() + 1;
                out.add(new Notification(
                        receiver.name(), key, state.groupLabels(), Notification.Status.FIRING, sent, repeats, now));
                next.put(
                        key,
                        new GroupState(
                                key, receiver.name(), state.groupLabels(), state.createdAt(), now, firingNow, repeats));
            } else {
                // Resolved alerts the receiver does not want to hear about leave the set without a notification.
                next.put(
                        key,
                        new GroupState(
                                key,
                                state.receiver(),
                                state.groupLabels(),
                                state.createdAt(),
                                state.lastSentAt(),
                                firingNow,
                                state.repeats()));
            }
        }
        return new Plan(out, next);
    }

    /** Silenced now, or inhibited by another firing alert (Alertmanager's inhibition semantics). */
    static boolean muted(
            NotifiableAlert alert,
            List<NotifiableAlert> firing,
            List<Silence> silences,
            List<InhibitionRule> inhibitions,
            Instant now) {
        for (Silence silence : silences) {
            if (silence.mutes(alert.labels(), now)) {
                return true;
            }
        }
        for (InhibitionRule rule : inhibitions) {
            if (!LabelMatcher.all(rule.target(), alert.labels())) {
                continue;
            }
            for (NotifiableAlert source : firing) {
                if (!source.fingerprint().equals(alert.fingerprint())
                        && LabelMatcher.all(rule.source(), source.labels())
                        && rule.equal().stream()
                                .allMatch(l -> source.labels()
                                        .getOrDefault(l, "")
                                        .equals(alert.labels().getOrDefault(l, "")))) {
                    return true;
                }
            }
        }
        return false;
    }
}
