package io.meridian.policy.domain.cel;

/**
 * A network as the CEL {@code net.CIDR} type: an address and a prefix length, parsed as Go's
 * {@code netip.ParsePrefix} parses it (the address is kept as written; {@link #masked()} clears the host bits).
 */
public record Cidr(IpAddress address, int bits) {

    /** {@code cidr(s)}, with Kubernetes' error texts. */
    public static Cidr parse(String raw) throws IpAddress.InvalidAddress {
        int slash = raw.lastIndexOf('/');
        String problem;
        if (slash < 0) {
            problem = "no '/'";
        } else {
            try {
                IpAddress.ParsedAddress parsed = IpAddress.parseAddr(raw.substring(0, slash));
                if (!parsed.zone().isEmpty()) {
                    problem = "IPv6 zones cannot be present in a prefix"; // only IPv6 parses with a zone
                } else {
                    problem = bitsProblem(raw.substring(slash + 1), parsed.address());
                    if (problem == null) {
                        if (parsed.address().isIpv4Mapped()) {
                            throw new IpAddress.InvalidAddress(
                                    "IPv4-mapped IPv6 address " + IpAddress.quote(raw) + " is not allowed");
                        }
                        return new Cidr(parsed.address(), Integer.parseInt(raw.substring(slash + 1)));
                    }
                }
            } catch (IpAddress.GoParseError e) {
                problem = e.getMessage();
            }
        }
        throw new IpAddress.InvalidAddress("network address parse error during conversion from string: "
                + "netip.ParsePrefix(" + IpAddress.quote(raw) + "): " + problem);
    }

    // strconv.Atoi without a sign or leading zeros, within the family's length; null when the bits are fine.
    private static String bitsProblem(String bits, IpAddress address) {
        boolean digits = !bits.isEmpty() && bits.length() <= 3 && bits.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (bits.length() > 1 && bits.charAt(0) == '0')) {
            return "bad bits after slash: " + IpAddress.quote(bits);
        }
        return Integer.parseInt(bits) > address.bitLength() ? "prefix length out of range" : null;
    }

    /** {@code <cidr>.containsIP(ip)}: same family, and the same first {@link #bits} bits. */
    public boolean containsIp(IpAddress ip) {
        return ip.family() == address.family() && ip.masked(bits).equals(address.masked(bits));
    }

    /** {@code <cidr>.containsCIDR(other)}: every address of {@code other} is in this network. */
    public boolean containsCidr(Cidr other) {
        return other.bits >= bits && containsIp(other.address);
    }

    /** This network with the host bits cleared. */
    public Cidr masked() {
        return new Cidr(address.masked(bits), bits);
    }

    public long prefixLength() {
        return bits;
    }

    @Override
    public String toString() {
        return address + "/" + bits;
    }
}
