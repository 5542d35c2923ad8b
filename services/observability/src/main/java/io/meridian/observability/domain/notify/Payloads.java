package io.meridian.observability.domain.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The bodies each receiver kind expects, built from a notification: Alertmanager's webhook payload version 4
 * (field for field, so existing integrations work unchanged), a Slack incoming-webhook message, a PagerDuty
 * Events API v2 event, and an e-mail. Records whose component names are the wire names.
 */
public final class Payloads {

    /** Alertmanager's zero time, sent as {@code endsAt} of an alert that still fires. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    static final Set<String> PAGERDUTY_SEVERITIES = Set.of("critical", "error", "warning", "info");

    private Payloads() {}

    /** Alertmanager webhook payload, version "4". */
    public record Webhook(
            String version,
            String groupKey,
            int truncatedAlerts,
            String status,
            String receiver,
            Map<String, String> groupLabels,
            Map<String, String> commonLabels,
            Map<String, String> commonAnnotations,
            String externalURL,
            List<WebhookAlert> alerts) {}

    /** One alert of a webhook payload. */
    public record WebhookAlert(
            String status,
            Map<String, String> labels,
            Map<String, String> annotations,
            String startsAt,
            String endsAt,
            String generatorURL,
            String fingerprint) {}

    /** A Slack incoming-webhook message: {@code text} is the fallback, {@code blocks} the layout. */
    public record Slack(String channel, String text, List<Map<String, Object>> blocks) {}

    /** A PagerDuty Events API v2 event. */
    public record PagerDutyEvent(
            String routing_key,
            String event_action,
            String dedup_key,
            PagerDutyPayload payload,
            String client,
            String client_url) {}

    /** The payload of a trigger; PagerDuty ignores it on resolve but requires it to be well-formed. */
    public record PagerDutyPayload(
            String summary, String source, String severity, Map<String, Object> custom_details) {}

    /** An e-mail's subject and plain-text body. */
    public record Email(String subject, String text) {}

    /**
     * The webhook payload; {@code maxAlerts} above 0 truncates the alert list and says how many were left out.
     * {@code externalURL} links back to Meridian's alert list.
     */
    public static Webhook webhook(Notification n, String externalUrl, int maxAlerts) {
        List<NotifiableAlert> alerts = n.alerts();
        int truncated = 0;
        if (maxAlerts > 0 && alerts.size() > maxAlerts) {
            truncated = alerts.size() - maxAlerts;
            alerts = alerts.subList(0, maxAlerts);
        }
        List<WebhookAlert> out = new ArrayList<>();
        for (NotifiableAlert a : alerts) {
            out.add(new WebhookAlert(
                    a.firing() ? "firing" : "resolved",
                    new TreeMap<>(a.labels()),
                    new TreeMap<>(a.annotations()),
                    time(a.startsAt()),
                    a.firing() || a.endsAt() == null ? ZERO_TIME : time(a.endsAt()),
                    generatorUrl(externalUrl, a),
                    a.fingerprint()));
        }
        return new Webhook(
                "4",
                n.groupKey(),
                truncated,
                n.status().wire(),
                n.receiver(),
                new TreeMap<>(n.groupLabels()),
                common(n.alerts(), true),
                common(n.alerts(), false),
                externalUrl,
                out);
    }

    public static Slack slack(Notification n, String channel, String externalUrl) {
        String title = title(n);
        StringBuilder body = new StringBuilder();
        for (NotifiableAlert a : n.alerts()) {
            String summary = a.annotations().getOrDefault("summary", a.labels().getOrDefault("alertname", ""));
            body.append(a.firing() ? "• :red_circle: " : "• :large_green_circle: ")
                    .append(escapeSlack(summary))
                    .append('\n');
        }
        List<Map<String, Object>> blocks = List.of(
                Map.of("type", "header", "text", Map.of("type", "plain_text", "text", truncate(title, 150))),
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", truncate(body.toString(), 3000))),
                Map.of(
                        "type",
                        "context",
                        "elements",
                        List.of(Map.of("type", "mrkdwn", "text", "<" + externalUrl + "|Open in Meridian>"))));
        return new Slack(channel, title, blocks);
    }

    /** Trigger while the group fires, resolve when it has resolved; one incident per group. */
    public static PagerDutyEvent pagerDuty(Notification n, String routingKey, String externalUrl) {
        Map<String, String> common = common(n.alerts(), true);
        String severity = common.getOrDefault("severity", "error");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(
                "firing", n.alerts().stream().filter(NotifiableAlert::firing).count());
        details.put("resolved", n.alerts().stream().filter(a -> !a.firing()).count());
        details.put("groupLabels", new TreeMap<>(n.groupLabels()));
        details.put("fingerprints", n.fingerprints());
        return new PagerDutyEvent(
                routingKey,
                n.status() == Notification.Status.FIRING ? "trigger" : "resolve",
                pagerDutyDedupKey(n.groupKey()),
                new PagerDutyPayload(
                        truncate(title(n), 1024),
                        common.getOrDefault("cluster", "meridian"),
                        PAGERDUTY_SEVERITIES.contains(severity) ? severity : "error",
                        details),
                "Meridian",
                externalUrl);
    }

    /**
     * The incident key of a group: the same for its trigger and its resolve. PagerDuty limits it to 255
     * characters, so it is a hash of the group key; with {@code group_by: ["..."]} a group is one alert, so it is
     * one incident per fingerprint.
     */
    public static String pagerDutyDedupKey(String groupKey) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(groupKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Email email(Notification n, String externalUrl) {
        StringBuilder text = new StringBuilder(title(n)).append("\n\n");
        for (NotifiableAlert a : n.alerts()) {
            text.append(a.firing() ? "[FIRING] " : "[RESOLVED] ")
                    .append(a.labels().getOrDefault("alertname", ""))
                    .append(" since ")
                    .append(time(a.startsAt()))
                    .append('\n');
            new TreeMap<>(a.labels())
                    .forEach((k, v) ->
                            text.append("  ").append(k).append(" = ").append(v).append('\n'));
            new TreeMap<>(a.annotations())
                    .forEach((k, v) ->
                            text.append("  ").append(k).append(": ").append(v).append('\n'));
            text.append('\n');
        }
        text.append(externalUrl).append('\n');
        return new Email(title(n), text.toString());
    }

    /** Alertmanager's default title: {@code [FIRING:2] alertname cluster}. */
    static String title(Notification n) {
        long firing = n.alerts().stream().filter(NotifiableAlert::firing).count();
        StringBuilder title = new StringBuilder("[").append(n.status().wire().toUpperCase(java.util.Locale.ROOT));
        if (n.status() == Notification.Status.FIRING) {
            title.append(':').append(firing);
        }
        title.append("]");
        new TreeMap<>(n.groupLabels()).values().forEach(v -> title.append(' ').append(v));
        return title.toString();
    }

    /** Labels (or annotations) every alert of the notification shares. */
    static Map<String, String> common(List<NotifiableAlert> alerts, boolean labels) {
        Map<String, String> common = null;
        for (NotifiableAlert a : alerts) {
            Map<String, String> these = labels ? a.labels() : a.annotations();
            if (common == null) {
                common = new TreeMap<>(these);
            } else {
                common.entrySet().removeIf(e -> !e.getValue().equals(these.get(e.getKey())));
            }
        }
        return common == null ? new TreeMap<>() : common;
    }

    private static String generatorUrl(String externalUrl, NotifiableAlert a) {
        String base = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1) : externalUrl;
        return base + "/api/v1/alerts/" + a.fingerprint();
    }

    private static String time(Instant instant) {
        return instant == null ? ZERO_TIME : DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private static String escapeSlack(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
