package io.meridian.servicekit.endpoints;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An address range no caller-supplied URL may reach unless an operator lists a CIDR inside it: cloud metadata
 * services (169.254.169.254, fd00:ec2::254, fd20:ce::254), Azure's WireServer (168.63.129.16) and the rest of link-local, unspecified, multicast and broadcast
 * addresses. Loopback is reserved too, but an unset allow-list admits it, because the local stack and the tests run
 * clusters on 127.0.0.1.
 *
 * <p>A broad CIDR ({@code 0.0.0.0/0}, {@code 128.0.0.0/1}) never admits a reserved address: only a CIDR that lies
 * inside the reserved range does ({@code 169.254.169.254/32}), so reaching one is always a deliberate, visible choice.
 */
record ReservedRange(Cidr range, String what, boolean openByDefault) {

    private static final List<ReservedRange> ALL = List.of(
            new ReservedRange(Cidr.parse("127.0.0.0/8"), "loopback", true),
            new ReservedRange(Cidr.parse("::1/128"), "loopback", true),
            new ReservedRange(Cidr.parse("fd00:ec2::254/128"), "the AWS instance metadata service", false),
            new ReservedRange(Cidr.parse("fd20:ce::254/128"), "the Google Compute Engine metadata server", false),
            // Azure's WireServer (VM agent, platform DNS, health probes) answers every VM on this public address.
            new ReservedRange(Cidr.parse("168.63.129.16/32"), "Azure's WireServer (platform services)", false),
            new ReservedRange(
                    Cidr.parse("169.254.0.0/16"), "link-local, where cloud instance metadata services answer", false),
            new ReservedRange(Cidr.parse("fe80::/10"), "link-local", false),
            new ReservedRange(Cidr.parse("0.0.0.0/8"), "unspecified ('this host')", false),
            new ReservedRange(Cidr.parse("::/128"), "unspecified ('this host')", false),
            new ReservedRange(Cidr.parse("224.0.0.0/4"), "multicast", false),
            new ReservedRange(Cidr.parse("ff00::/8"), "multicast", false),
            new ReservedRange(Cidr.parse("255.255.255.255/32"), "broadcast", false));

    /** The NAT64 prefix: an address in it reaches the IPv4 address in its last four bytes. */
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

    /** The reserved range {@code address} lies in, judging a NAT64 address by the IPv4 address it carries. */
    static Optional<ReservedRange> of(InetAddress address) {
        InetAddress effective = embeddedIpv4(address).orElse(address);
        for (ReservedRange reserved : ALL) {
            if (reserved.range().contains(effective)) {
                return Optional.of(reserved);
            }
        }
        return Optional.empty();
    }

    /** Whether a listed CIDR admits {@code address}: it must contain it and lie inside this range. */
    boolean admittedBy(Cidr listed, InetAddress address) {
        InetAddress effective = embeddedIpv4(address).orElse(address);
        return range.encloses(listed) && listed.contains(effective);
    }

    private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!NAT64.contains(address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        try {
            return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
        } catch (UnknownHostException impossible) {
            return Optional.empty();
        }
    }
}
