package io.meridian.policy.domain.cel;

import java.util.Optional;

/**
 * The checks of Go's {@code url.ParseRequestURI}, which the Kubernetes {@code format.uri()} validator reports
 * verbatim ({@code parse "x": invalid URI for request}): an absolute URI or an absolute path, no control
 * characters, a numeric port, valid percent escapes. One linear pass, no regular expression.
 */
final class GoRequestUri {

    private GoRequestUri() {}

    /** Why Go would refuse {@code raw} as a request URI, or empty when it accepts it. */
    static Optional<String> problem(String raw) {
        return reason(raw).map(r -> "parse " + IpAddress.quote(raw) + ": " + r);
    }

    private static Optional<String> reason(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("net/url: invalid control character in URL");
            }
        }
        if (raw.isEmpty()) {
            return Optional.of("empty url");
        }
        if (raw.equals("*")) {
            return Optional.empty();
        }
        String scheme = "";
        String rest = raw;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                continue;
            }
            if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    break; // not a scheme: the whole text is a path
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    return Optional.of("missing protocol scheme");
                }
                scheme = raw.substring(0, i);
                rest = raw.substring(i + 1);
            }
            break;
        }
        // a request URI keeps '?' and what follows as the query; the fragment is not split off
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (!rest.startsWith("/")) {
            return scheme.isEmpty() ? Optional.of("invalid URI for request") : Optional.empty();
        }
        if (!scheme.isEmpty() && rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            rest = slash < 0 ? "" : rest.substring(slash);
            Optional<String> hostProblem = authority(authority);
            if (hostProblem.isPresent()) {
                return hostProblem;
            }
        }
        return escapes(rest);
    }

    private static Optional<String> authority(String authority) {
        int at = authority.lastIndexOf('@');
        String host = at < 0 ? authority : authority.substring(at + 1);
        String port;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return Optional.of("missing ']' in host");
            }
            port = host.substring(close + 1);
            if (!port.isEmpty() && !port.startsWith(":")) {
                return Optional.of("invalid port " + IpAddress.quote(port) + " after host");
            }
        } else {
            int colon = host.lastIndexOf(':');
            port = colon < 0 ? "" : host.substring(colon);
        }
        if (port.length() > 1 && !port.substring(1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of("invalid port " + IpAddress.quote(port) + " after host");
        }
        return escapes(host);
    }

    private static Optional<String> escapes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '%') {
                if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    String bad = s.substring(i, Math.min(s.length(), i + 3));
                    return Optional.of("invalid URL escape " + IpAddress.quote(bad));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
