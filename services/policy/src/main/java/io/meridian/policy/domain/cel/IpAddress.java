package io.meridian.policy.domain.cel;

import java.util.Arrays;

/**
 * An IP address as the CEL {@code net.IP} type: parsed by a port of Go's {@code netip.ParseAddr} (so the same
 * strings are accepted, with the same error texts, in one linear pass), without zones or IPv4-mapped IPv6 addresses,
 * as Kubernetes' IP library refuses them.
 */
public final class IpAddress {

    private final byte[] bytes; // 4 or 16

    IpAddress(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** Why a string is not an IP address, in Kubernetes' words. */
    public static final class InvalidAddress extends Exception {
        InvalidAddress(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code ip(s)}. */
    public static IpAddress parse(String raw) throws InvalidAddress {
        String goError;
        try {
            ParsedAddress parsed = parseAddr(raw);
            if (!parsed.zone().isEmpty()) {
                throw new InvalidAddress("IP address " + quote(raw) + " with zone value is not allowed");
            }
            if (parsed.address().isIpv4Mapped()) {
                throw new InvalidAddress("IPv4-mapped IPv6 address " + quote(raw) + " is not allowed");
            }
            return parsed.address();
        } catch (GoParseError e) {
            goError = e.getMessage();
        }
        throw new InvalidAddress("IP Address " + quote(raw) + " parse error during conversion from string: " + goError);
    }

    record ParsedAddress(IpAddress address, String zone) {}

    /** Go's {@code netip.ParseAddr} error, e.g. {@code ParseAddr("1.2.3"): IPv4 address too short}. */
    static final class GoParseError extends Exception {
        GoParseError(String in, String message, String at) {
            super(
                    "ParseAddr(" + quote(in) + "): " + message + (at == null ? "" : " (at " + quote(at) + ")"),
                    null,
                    false,
                    false);
        }
    }

    static ParsedAddress parseAddr(String s) throws GoParseError {
        for (int i = 0; i < s.length(); i++) {
            switch (s.charAt(i)) {
                case '.' -> {
                    byte[] ip = new byte[4];
                    parseIpv4Fields(s, 0, s.length(), ip, 0);
                    return new ParsedAddress(new IpAddress(ip), "");
                }
                case ':' -> {
                    return parseIpv6(s);
                }
                case '%' -> throw new GoParseError(s, "missing IPv6 address", null);
                default -> {}
            }
        }
        throw new GoParseError(s, "unable to parse IP", null);
    }

    private static void parseIpv4Fields(String in, int off, int end, byte[] fields, int at) throws GoParseError {
        int val = 0;
        int pos = 0;
        int digLen = 0;
        String s = in.substring(off, end);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digLen == 1 && val == 0) {
                    throw new GoParseError(in, "IPv4 field has octet with leading zero", null);
                }
                val = val * 10 + (c - '0');
                digLen++;
                if (val > 255) {
                    throw new GoParseError(in, "IPv4 field has value >255", null);
                }
            } else if (c == '.') {
                if (i == 0 || i == s.length() - 1 || s.charAt(i - 1) == '.') {
                    throw new GoParseError(in, "IPv4 field must have at least one digit", s.substring(i));
                }
                if (pos == 3) {
                    throw new GoParseError(in, "IPv4 address too long", null);
                }
                fields[at + pos++] = (byte) val;
                val = 0;
                digLen = 0;
            } else {
                throw new GoParseError(in, "unexpected character", s.substring(i));
            }
        }
        if (pos < 3) {
            throw new GoParseError(in, "IPv4 address too short", null);
        }
        fields[at + 3] = (byte) val;
    }

    private static ParsedAddress parseIpv6(String in) throws GoParseError {
        String s = in;
        String zone = "";
        int percent = s.indexOf('%');
        if (percent >= 0) {
            zone = s.substring(percent + 1);
            s = s.substring(0, percent);
            if (zone.isEmpty()) {
                throw new GoParseError(in, "zone must be a non-empty string", null);
            }
        }
        byte[] ip = new byte[16];
        int ellipsis = -1;
        if (s.length() >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            ellipsis = 0;
            s = s.substring(2);
            if (s.isEmpty()) {
                return new ParsedAddress(new IpAddress(ip), zone);
            }
        }
        int i = 0;
        while (i < 16) {
            int off = 0;
            int acc = 0;
            for (; off < s.length(); off++) {
                char c = s.charAt(off);
                int digit = Character.digit(c, 16);
                if (digit < 0 || c > 'f') {
                    break;
                }
                acc = (acc << 4) + digit;
                if (off > 3) {
                    throw new GoParseError(in, "each group must have 4 or less digits", s);
                }
                if (acc > 0xffff) {
                    throw new GoParseError(in, "IPv6 field has value >=2^16", s);
                }
            }
            if (off == 0) {
                throw new GoParseError(in, "each colon-separated field must have at least one digit", s);
            }
            if (off < s.length() && s.charAt(off) == '.') {
                if (ellipsis < 0 && i != 12) {
                    throw new GoParseError(
                            in, "embedded IPv4 address must replace the final 2 fields of the address", s);
                }
                if (i + 4 > 16) {
                    throw new GoParseError(
                            in, "too many hex fields to fit an embedded IPv4 at the end of the address", s);
                }
                int end = in.length() - (zone.isEmpty() ? 0 : zone.length() + 1);
                parseIpv4Fields(in, end - s.length(), end, ip, i);
                s = "";
                i += 4;
                break;
            }
            ip[i] = (byte) (acc >> 8);
            ip[i + 1] = (byte) acc;
            i += 2;
            s = s.substring(off);
            if (s.isEmpty()) {
                break;
            }
            if (s.charAt(0) != ':') {
                throw new GoParseError(in, "unexpected character, want colon", s);
            } else if (s.length() == 1) {
                throw new GoParseError(in, "colon must be followed by more characters", s);
            }
            s = s.substring(1);
            if (s.charAt(0) == ':') {
                if (ellipsis >= 0) {
                    throw new GoParseError(in, "multiple :: in address", s);
                }
                ellipsis = i;
                s = s.substring(1);
                if (s.isEmpty()) {
                    break;
                }
            }
        }
        if (!s.isEmpty()) {
            throw new GoParseError(in, "trailing garbage after address", s);
        }
        if (i < 16) {
            if (ellipsis < 0) {
                throw new GoParseError(in, "address string too short", null);
            }
            int n = 16 - i;
            for (int j = i - 1; j >= ellipsis; j--) {
                ip[j + n] = ip[j];
            }
            Arrays.fill(ip, ellipsis, ellipsis + n, (byte) 0);
        } else if (ellipsis >= 0) {
            throw new GoParseError(in, "the :: must expand to at least one field of zeros", s);
        }
        return new ParsedAddress(new IpAddress(ip), zone);
    }

    /** {@code ip.isCanonical(s)}: whether {@code s} is how the address prints. */
    public static boolean isCanonical(String raw) throws InvalidAddress {
        return parse(raw).toString().equals(raw);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    int bitLength() {
        return bytes.length * 8;
    }

    boolean isIpv4Mapped() {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private int at(int i) {
        return bytes[i] & 0xff;
    }

    public long family() {
        return bytes.length == 4 ? 4 : 6;
    }

    public boolean isUnspecified() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean isLoopback() {
        if (bytes.length == 4) {
            return at(0) == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return at(15) == 1;
    }

    public boolean isMulticast() {
        return bytes.length == 4 ? (at(0) & 0xf0) == 0xe0 : at(0) == 0xff;
    }

    public boolean isLinkLocalMulticast() {
        return bytes.length == 4 ? at(0) == 224 && at(1) == 0 && at(2) == 0 : at(0) == 0xff && (at(1) & 0x0f) == 0x02;
    }

    public boolean isLinkLocalUnicast() {
        return bytes.length == 4 ? at(0) == 169 && at(1) == 254 : at(0) == 0xfe && (at(1) & 0xc0) == 0x80;
    }

    /** As Go's {@code netip.Addr.IsGlobalUnicast}: private IPv4 ranges and IPv6 ULAs count as global unicast. */
    public boolean isGlobalUnicast() {
        if (bytes.length == 4 && (isUnspecified() || Arrays.equals(bytes, new byte[] {-1, -1, -1, -1}))) {
            return false;
        }
        return !isUnspecified() && !isLoopback() && !isMulticast() && !isLinkLocalUnicast();
    }

    /** This address with every bit after the first {@code bits} cleared. */
    IpAddress masked(int bits) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return new IpAddress(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Dotted quad, or RFC 5952 (lower case, the longest run of two or more zero groups as {@code ::}). */
    @Override
    public String toString() {
        if (bytes.length == 4) {
            return at(0) + "." + at(1) + "." + at(2) + "." + at(3);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int g = 0; g < 8; ) {
            if (group(g) != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && group(g) == 0) {
                g++;
            }
            if (g - start >= 2 && g - start > bestLength) {
                bestStart = start;
                bestLength = g - start;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                out.append("::");
                g += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(group(g)));
        }
        return out.toString();
    }

    private int group(int g) {
        return (at(2 * g) << 8) | at(2 * g + 1);
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
