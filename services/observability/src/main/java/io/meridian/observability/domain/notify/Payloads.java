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

    /**
     * An e-mail: subject, plain-text and HTML bodies, and the threading headers. {@code messageId} comes from the
     * notification's dedup key, so a resent duplicate carries the same one; {@code references} names the group, so
     * every notification of a group threads under it.
     */
    public record Email(String subject, String text, String html, String messageId, String references) {}

    /** The right-hand side of the message ids Meridian writes: stable, so ids never change with the host. */
    static final String MESSAGE_ID_DOMAIN = "notifications.meridian";

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
        return sha256(groupKey);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The e-mail in the shape of Alertmanager's default one: the group title as subject, then the firing and the
     * resolved alerts with their labels, annotations, start and end, and a link to each in Meridian. An annotation
     * whose value is an http(s) URL (a runbook, a dashboard) is a link in the HTML body.
     */
    public static Email email(Notification n, String externalUrl) {
        String base = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1) : externalUrl;
        List<NotifiableAlert> firing =
                n.alerts().stream().filter(NotifiableAlert::firing).toList();
        List<NotifiableAlert> resolved =
                n.alerts().stream().filter(a -> !a.firing()).toList();
        String title = title(n);
        String summary =
                n.alerts().size() + (n.alerts().size() == 1 ? " alert" : " alerts") + " for " + groupLabelText(n);

        StringBuilder text =
                new StringBuilder(title).append("\n\n").append(summary).append('\n');
        text.append("View in Meridian: ").append(base).append("/api/v1/alerts\n");
        textSection(text, "Firing", firing, base);
        textSection(text, "Resolved", resolved, base);

        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"UTF-8\">\n<title>")
                .append(escapeHtml(title))
                .append(
                        "</title>\n</head>\n<body style=\"font-family: Helvetica, Arial, sans-serif; font-size: 14px\">\n");
        html.append("<h2 style=\"color: ")
                .append(n.status() == Notification.Status.FIRING ? "#e6522c" : "#68b90f")
                .append("\">")
                .append(escapeHtml(summary))
                .append("</h2>\n");
        html.append("<p><a href=\"")
                .append(escapeHtml(base + "/api/v1/alerts"))
                .append("\">View in Meridian</a></p>\n");
        htmlSection(html, "Firing", firing, base);
        htmlSection(html, "Resolved", resolved, base);
        html.append("<p style=\"color: #999999; font-size: 12px\">Sent by Meridian to receiver ")
                .append(escapeHtml(n.receiver()))
                .append(".</p>\n</body>\n</html>\n");

        String thread = sha256(n.receiver() + "\n" + n.groupKey());
        return new Email(
                title,
                text.toString(),
                html.toString(),
                "<" + n.dedupKey() + "@" + MESSAGE_ID_DOMAIN + ">",
                "<" + thread + "@" + MESSAGE_ID_DOMAIN + ">");
    }

    private static String groupLabelText(Notification n) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(n.groupLabels()).forEach((k, v) -> {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(k).append('=').append(v);
        });
        return text.isEmpty() ? "every alert" : text.toString();
    }

    private static void textSection(StringBuilder text, String heading, List<NotifiableAlert> alerts, String base) {
        if (alerts.isEmpty()) {
            return;
        }
        text.append("\n[").append(alerts.size()).append("] ").append(heading).append('\n');
        for (NotifiableAlert a : alerts) {
            text.append("\nLabels:\n");
            new TreeMap<>(a.labels())
                    .forEach((k, v) ->
                            text.append(" - ").append(k).append(" = ").append(v).append('\n'));
            if (!a.annotations().isEmpty()) {
                text.append("Annotations:\n");
                new TreeMap<>(a.annotations())
                        .forEach((k, v) -> text.append(" - ")
                                .append(k)
                                .append(" = ")
                                .append(v)
                                .append('\n'));
            }
            text.append("Starts at: ").append(time(a.startsAt())).append('\n');
            if (!a.firing() && a.endsAt() != null) {
                text.append("Ends at: ").append(time(a.endsAt())).append('\n');
            }
            text.append("Source: ")
                    .append(base)
                    .append("/api/v1/alerts/")
                    .append(a.fingerprint())
                    .append('\n');
        }
    }

    private static void htmlSection(StringBuilder html, String heading, List<NotifiableAlert> alerts, String base) {
        if (alerts.isEmpty()) {
            return;
        }
        html.append("<h3>[").append(alerts.size()).append("] ").append(heading).append("</h3>\n");
        for (NotifiableAlert a : alerts) {
            html.append("<table style=\"border-collapse: collapse; margin-bottom: 16px\">\n");
            html.append("<tr><td colspan=\"2\"><strong>Labels</strong></td></tr>\n");
            new TreeMap<>(a.labels()).forEach((k, v) -> row(html, k, escapeHtml(v)));
            if (!a.annotations().isEmpty()) {
                html.append("<tr><td colspan=\"2\"><strong>Annotations</strong></td></tr>\n");
                new TreeMap<>(a.annotations()).forEach((k, v) -> row(html, k, linkOrText(v)));
            }
            row(html, "Starts at", escapeHtml(time(a.startsAt())));
            if (!a.firing() && a.endsAt() != null) {
                row(html, "Ends at", escapeHtml(time(a.endsAt())));
            }
            row(html, "Source", link(base + "/api/v1/alerts/" + a.fingerprint(), "View alert in Meridian"));
            html.append("</table>\n");
        }
    }

    private static void row(StringBuilder html, String key, String valueHtml) {
        html.append("<tr><td style=\"padding: 2px 12px 2px 0; color: #555555\">")
                .append(escapeHtml(key))
                .append("</td><td style=\"padding: 2px 0\">")
                .append(valueHtml)
                .append("</td></tr>\n");
    }

    /** Only http(s) becomes a link: a javascript: or data: value an alert carries stays inert text. */
    private static String linkOrText(String value) {
        String v = value.strip();
        boolean url = (v.startsWith("https://") || v.startsWith("http://"))
                && v.chars().noneMatch(Character::isWhitespace);
        return url ? link(v, v) : escapeHtml(value);
    }

    private static String link(String href, String text) {
        return "<a href=\"" + escapeHtml(href) + "\">" + escapeHtml(text) + "</a>";
    }

    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
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
