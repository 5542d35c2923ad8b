package io.meridian.servicekit.endpoints;

import java.net.InetAddress;
import java.util.Arrays;

/** An address range of an allow-list, {@code 10.20.0.0/16} or {@code fd00::/8}; a bare address is one host. */
record Cidr(byte[] network, int prefix, String text) {

    Cidr {
        network = network.clone();
    }

    /** Parses a configured range; throws IllegalArgumentException saying what is wrong with it. */
    static Cidr parse(String value) {
        String text = value.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress parsed = IpLiterals.parse(address)
                .orElseThrow(() -> new IllegalArgumentException("is not an IPv4 or IPv6 address or CIDR range"));
        byte[] bytes = parsed.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("has a prefix length that is not a number");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("has a prefix length outside 0.." + bits);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, text);
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        return candidate.length == network.length && Arrays.equals(mask(candidate, prefix), network);
    }

    /** Whether every address of {@code other} lies inside this range. */
    boolean encloses(Cidr other) {
        return other.network.length == network.length
                && other.prefix >= prefix
                && Arrays.equals(mask(other.network, prefix), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] = (byte) (masked[i] & (0xFF << (8 - keep)));
        }
        return masked;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
