package io.meridian.observability.domain.notify;

import io.meridian.observability.domain.FieldProblem;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a notification goes. The secret of each kind (a webhook URL that carries a token, a Slack URL, a PagerDuty
 * routing key, an SMTP password) is stored encrypted and never shown: {@link #redacted()} is what leaves the
 * service.
 */
public sealed interface Receiver {

    /** Receiver names: the same shape as a label value an operator types in a route. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    /** PagerDuty's default Events API v2 endpoint. */
    URI PAGERDUTY_EVENTS = URI.create("https://events.pagerduty.com/v2/enqueue");

    String name();

    /** Whether resolved notifications are sent as well (Alertmanager's {@code send_resolved}). */
    boolean sendResolved();

    /** The kind on the wire: webhook, slack, pagerduty, email. */
    default String kind() {
        return switch (this) {
            case Webhook w -> "webhook";
            case Slack s -> "slack";
            case PagerDuty p -> "pagerduty";
            case Email e -> "email";
        };
    }

    /** The same receiver with its secret removed, for views and logs. */
    Receiver redacted();

    // A record's generated toString would print the secret into any log line or exception message that names the
    // receiver: every kind prints this instead.
    private static String shown(Object secret) {
        return secret == null ? "null" : "<redacted>";
    }

    /** A generic webhook receiving Alertmanager's webhook payload version 4; {@code maxAlerts} 0 is unlimited. */
    record Webhook(String name, URI url, boolean sendResolved, int maxAlerts) implements Receiver {
        @Override
        public Webhook redacted() {
            return new Webhook(name, null, sendResolved, maxAlerts);
        }

        @Override
        public String toString() {
            return "Webhook[name=" + name + ", url=" + shown(url) + ", sendResolved=" + sendResolved + ", maxAlerts="
                    + maxAlerts + "]";
        }
    }

    /** A Slack incoming webhook; the URL is the secret. */
    record Slack(String name, URI url, String channel, boolean sendResolved) implements Receiver {
        @Override
        public Slack redacted() {
            return new Slack(name, null, channel, sendResolved);
        }

        @Override
        public String toString() {
            return "Slack[name=" + name + ", url=" + shown(url) + ", channel=" + channel + ", sendResolved="
                    + sendResolved + "]";
        }
    }

    /** PagerDuty Events API v2; the routing (integration) key is the secret. */
    record PagerDuty(String name, String routingKey, URI url, boolean sendResolved) implements Receiver {
        @Override
        public PagerDuty redacted() {
            return new PagerDuty(name, null, url, sendResolved);
        }

        @Override
        public String toString() {
            return "PagerDuty[name=" + name + ", routingKey=" + shown(routingKey) + ", url=" + url + ", sendResolved="
                    + sendResolved + "]";
        }
    }

    /**
     * E-mail over SMTP to the smarthost {@code host:port}; the password is the secret. {@code requireTls} (the
     * default) refuses a server that does not offer STARTTLS; without it STARTTLS is used when offered, and a login
     * is never sent without TLS, so a receiver with a username requires it.
     */
    record Email(
            String name,
            List<String> to,
            String from,
            String host,
            int port,
            String username,
            String password,
            boolean requireTls,
            boolean sendResolved)
            implements Receiver {
        public Email {
            to = to == null ? List.of() : List.copyOf(to);
        }

        /** The smarthost as written: {@code host:port}, an IPv6 literal in brackets. */
        public String smarthost() {
            return (host != null && host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":"
                    + port;
        }

        @Override
        public Email redacted() {
            return new Email(name, to, from, host, port, username, null, requireTls, sendResolved);
        }

        @Override
        public String toString() {
            return "Email[name=" + name + ", to=" + to + ", from=" + from + ", host=" + host + ", port=" + port
                    + ", username=" + username + ", password=" + shown(password) + ", requireTls=" + requireTls
                    + ", sendResolved=" + sendResolved + "]";
        }
    }

    /**
     * What is wrong with this receiver, one problem per field; empty when valid. {@code secretRequired} is false
     * when an update keeps the stored secret.
     */
    static List<FieldProblem> validate(Receiver receiver, boolean secretRequired) {
        List<FieldProblem> problems = new ArrayList<>();
        if (receiver.name() == null || !NAME.matcher(receiver.name()).matches()) {
            problems.add(new FieldProblem(
                    "name", "must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit"));
        }
        switch (receiver) {
            case Webhook w -> {
                url("url", w.url(), secretRequired, problems);
                if (w.maxAlerts() < 0) {
                    problems.add(new FieldProblem("maxAlerts", "must be 0 (unlimited) or more"));
                }
            }
            case Slack s -> {
                url("url", s.url(), secretRequired, problems);
                if (s.channel() != null && !s.channel().matches("[#@]?[A-Za-z0-9_.-]{1,80}")) {
                    problems.add(new FieldProblem("channel", "must be a Slack channel such as #ops"));
                }
            }
            case PagerDuty p -> {
                if (p.routingKey() == null ? secretRequired : !p.routingKey().matches("[A-Za-z0-9]{32}")) {
                    problems.add(new FieldProblem("routingKey", "must be the 32-character integration key"));
                }
                if (p.url() != null) {
                    url("url", p.url(), true, problems);
                }
            }
            case Email e -> {
                if (e.to().isEmpty()) {
                    problems.add(new FieldProblem("to", "at least one address is required"));
                }
                for (int i = 0; i < e.to().size(); i++) {
                    if (!address(e.to().get(i))) {
                        problems.add(new FieldProblem("to[" + i + "]", "must be an e-mail address"));
                    }
                }
                if (!address(e.from())) {
                    problems.add(new FieldProblem("from", "must be an e-mail address"));
                }
                if (e.host() == null || !e.host().matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
                    problems.add(new FieldProblem("smarthost", "must be the SMTP server as host:port"));
                } else if (e.port() < 1 || e.port() > 65535) {
                    problems.add(new FieldProblem("smarthost", "must end in a port between 1 and 65535"));
                }
                if (e.username() != null && e.username().isBlank()) {
                    problems.add(new FieldProblem("username", "must not be blank; leave it out for no login"));
                }
                if (e.username() != null && e.password() == null && secretRequired) {
                    problems.add(new FieldProblem("password", "is required with a username"));
                }
                if (e.username() != null && !e.requireTls()) {
                    // Credentials never cross an unencrypted connection, so a login makes STARTTLS mandatory.
                    problems.add(new FieldProblem("requireTls", "must be true with a username: a login needs TLS"));
                }
            }
        }
        return problems;
    }

    private static void url(String field, URI url, boolean required, List<FieldProblem> problems) {
        if (url == null) {
            if (required) {
                problems.add(new FieldProblem(field, "is required"));
            }
            return;
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            problems.add(new FieldProblem(field, "must be an absolute http(s) URL"));
        } else if (url.getUserInfo() != null) {
            problems.add(new FieldProblem(field, "must not carry user:password; put the token in the path or query"));
        }
    }

    private static boolean address(String value) {
        return value != null && value.length() <= 254 && value.matches("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+");
    }
}
