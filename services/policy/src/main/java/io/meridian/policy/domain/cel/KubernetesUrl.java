package io.meridian.policy.domain.cel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A URL as the Kubernetes CEL URL library sees it (Go's {@code net/url}): an absolute URI or an absolute path,
 * with the raw parts kept so that {@code getEscapedPath} answers what Go would.
 */
public record KubernetesUrl(String scheme, String host, String path, String rawQuery) {

    // scheme ":" ["//" authority] path ["?" query] ["#" fragment]; the fragment plays no part in any accessor.
    // RE2: linear in the (object-supplied) text.
    private static final Pattern ABSOLUTE = Pattern.compile(
            "([A-Za-z][A-Za-z0-9+.-]*):(?://([^/?#]*))?([^?#]*)(?:\\?([^#]*))?(?:#.*)?", Pattern.DOTALL);
    private static final Pattern PATH_ONLY = Pattern.compile("(/[^?#]*)(?:\\?([^#]*))?(?:#.*)?", Pattern.DOTALL);
    private static final Pattern IPV6_HOST = Pattern.compile("\\[([0-9A-Fa-f:.]+(?:%[^\\]]*)?)](?::([0-9]*))?");
    private static final String PATH_SAFE =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/";

    /** The URL a string denotes, if it is an absolute URI or an absolute path. */
    public static Optional<KubernetesUrl> parse(String text) {
        if (text == null || text.isEmpty() || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.empty();
        }
        Matcher path = PATH_ONLY.matcher(text);
        if (path.matches()) {
            return Optional.of(new KubernetesUrl("", "", path.group(1), path.group(2)));
        }
        Matcher m = ABSOLUTE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String authority = m.group(2) == null ? "" : m.group(2);
        int at = authority.lastIndexOf('@');
        String host = at < 0 ? authority : authority.substring(at + 1);
        if (host.startsWith("[") && !IPV6_HOST.matcher(host).matches()) {
            return Optional.empty();
        }
        if (!host.startsWith("[")
                && host.indexOf(':') >= 0
                && !host.substring(host.indexOf(':') + 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(new KubernetesUrl(m.group(1), host, m.group(3), m.group(4)));
    }

    /** Host with port, IPv6 addresses in brackets: {@code example.com:80}. */
    public String getHost() {
        return host;
    }

    /** Host without port and without IPv6 brackets. */
    public String getHostname() {
        Matcher v6 = IPV6_HOST.matcher(host);
        if (v6.matches()) {
            return v6.group(1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The port as written, or the empty string. */
    public String getPort() {
        Matcher v6 = IPV6_HOST.matcher(host);
        if (v6.matches()) {
            return v6.group(2) == null ? "" : v6.group(2);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? "" : host.substring(colon + 1);
    }

    /** The path percent-encoded the way Go's {@code URL.EscapedPath} does; valid escapes stay as they are. */
    public String getEscapedPath() {
        StringBuilder out = new StringBuilder();
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                out.append('%');
            } else if (b < 0x80 && PATH_SAFE.indexOf(b) >= 0) {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b));
            }
        }
        return out.toString();
    }

    /** The query as a map of each key to all its values, in order. */
    public Map<String, List<String>> getQuery() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    public String getScheme() {
        return scheme;
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    @Override
    public String toString() {
        String base = scheme.isEmpty() ? path : scheme + ":" + (host.isEmpty() ? "" : "//" + host) + path;
        return rawQuery == null ? base : base + "?" + rawQuery;
    }
}
