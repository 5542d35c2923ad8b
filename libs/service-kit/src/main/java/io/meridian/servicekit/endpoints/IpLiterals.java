package io.meridian.servicekit.endpoints;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Recognizes IP address literals without ever asking DNS: a dotted quad of four decimal numbers, or anything with
 * a ':' as IPv6. Other spellings the resolver would also take ({@code 127.1}, {@code 2130706433}) count as host names
 * here, so they are resolved and judged by the addresses they turn into.
 */
final class IpLiterals {

    private IpLiterals() {}

    static Optional<InetAddress> parse(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (literal.indexOf(':') >= 0) {
            // InetAddress parses a literal with ':' as IPv6 and never looks it up.
            for (int i = 0; i < literal.length(); i++) {
                char c = literal.charAt(i);
                boolean ok = Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%';
                if (!ok) {
                    return Optional.empty();
                }
            }
            try {
                return Optional.of(InetAddress.getByName(literal));
            } catch (UnknownHostException | SecurityException e) {
                return Optional.empty();
            }
        }
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3) {
                return Optional.empty();
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                if (c < '0' || c > '9') {
                    return Optional.empty();
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
