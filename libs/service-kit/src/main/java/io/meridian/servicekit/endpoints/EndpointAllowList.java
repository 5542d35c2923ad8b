package io.meridian.servicekit.endpoints;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The hosts a service may connect to on a caller's behalf, from one configuration property: host globs
 * ({@code *.eks.amazonaws.com}, {@code api.prod.example.com}) and CIDRs ({@code 10.20.0.0/16}, {@code fd00::/8}; a
 * bare address is one host). Unset, any host is allowed.
 *
 * <p>A URL is allowed when its host is
 *
 * <ul>
 *   <li>an IP literal inside a listed CIDR;
 *   <li>a name a listed glob matches, unless it resolves to a loopback, link-local (cloud metadata services live at
 *       169.254.169.254 and fd00:ec2::254), unspecified or multicast address that no listed CIDR contains;
 *   <li>any other name whose every address lies inside listed CIDRs.
 * </ul>
 *
 * Without DNS ({@link #refusal(String)}) only what the URL itself shows is judged; {@link #refusal(String,
 * Resolver)} resolves the host and judges the addresses too, as a connection must just before it connects.
 */
public final class EndpointAllowList {

    /** Resolves a host name to its addresses; {@link #SYSTEM} outside tests. */
    @FunctionalInterface
    public interface Resolver {
        Resolver SYSTEM = InetAddress::getAllByName;

        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final byte[] AWS_METADATA_V6 = {
        (byte) 0xfd, 0x00, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
    };

    private final String property;
    private final boolean any;
    private final List<HostGlob> globs;
    private final List<Cidr> cidrs;

    private EndpointAllowList(String property, boolean any, List<HostGlob> globs, List<Cidr> cidrs) {
        this.property = property;
        this.any = any;
        this.globs = List.copyOf(globs);
        this.cidrs = List.copyOf(cidrs);
    }

    /**
     * The allow-list configured in {@code property}; none configured allows any host.
     *
     * @throws IllegalArgumentException naming the property and the entry when an entry is neither a CIDR nor a glob
     */
    public static EndpointAllowList of(String property, Optional<List<String>> entries) {
        Objects.requireNonNull(property, "property");
        List<String> given = entries.orElse(List.of()).stream()
                .filter(e -> e != null && !e.isBlank())
                .toList();
        if (given.isEmpty()) {
            return new EndpointAllowList(property, true, List.of(), List.of());
        }
        List<HostGlob> globs = new ArrayList<>();
        List<Cidr> cidrs = new ArrayList<>();
        for (String entry : given) {
            String text = entry.strip();
            try {
                if (text.indexOf('/') >= 0 || IpLiterals.parse(text).isPresent()) {
                    cidrs.add(Cidr.parse(text));
                } else {
                    globs.add(HostGlob.parse(text));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + ": entry '" + text + "' " + e.getMessage()
                        + "; use host globs such as *.eks.amazonaws.com and CIDRs such as 10.20.0.0/16");
            }
        }
        return new EndpointAllowList(property, false, globs, cidrs);
    }

    /** Whether nothing is configured, so every host is allowed. */
    public boolean allowsAny() {
        return any;
    }

    /** The property this list comes from, for messages. */
    public String property() {
        return property;
    }

    /**
     * Why {@code url} is refused, judged on the URL alone without DNS; empty when it may be used, subject to the
     * check with DNS before connecting.
     */
    public Optional<String> refusal(String url) {
        return judge(url, null);
    }

    /** Why connecting to {@code url} is refused once its host is resolved; empty when it is allowed. */
    public Optional<String> refusal(String url, Resolver resolver) {
        return judge(url, Objects.requireNonNull(resolver, "resolver"));
    }

    private Optional<String> judge(String url, Resolver resolver) {
        if (any) {
            return Optional.empty();
        }
        String given;
        try {
            given = url == null ? null : new URI(url).getHost();
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        if (given == null || given.isEmpty()) {
            return Optional.of("must name a host");
        }
        String host = normalize(given);
        Optional<InetAddress> literal = IpLiterals.parse(host);
        if (literal.isPresent()) {
            return inCidrs(literal.get())
                    ? Optional.empty()
                    : Optional.of("address " + host + " is not in the allowed CIDRs (" + property + ")");
        }
        boolean named = globs.stream().anyMatch(g -> g.matches(host));
        if (!named && cidrs.isEmpty()) {
            return Optional.of("host " + host + " is not an allowed host (" + property + ")");
        }
        if (resolver == null) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            // A listed name that does not resolve reaches nothing; an unlisted one is judged only by its addresses.
            return named
                    ? Optional.empty()
                    : Optional.of("host " + host + " does not resolve, and only its addresses could allow it ("
                            + property + ")");
        }
        for (InetAddress address : addresses) {
            if (inCidrs(address)) {
                continue;
            }
            String shown = address.getHostAddress();
            if (!named) {
                return Optional.of(
                        "host " + host + " resolves to " + shown + ", outside the allowed CIDRs (" + property + ")");
            }
            if (special(address)) {
                return Optional.of("host " + host + " resolves to " + shown
                        + " (loopback, link-local, unspecified or multicast), which only a listed CIDR admits ("
                        + property + ")");
            }
        }
        return Optional.empty();
    }

    private boolean inCidrs(InetAddress address) {
        for (Cidr cidr : cidrs) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean special(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()
                || (bytes.length == 4 && bytes[0] == 0) // 0.0.0.0/8 means "this host" to most stacks
                || Arrays.equals(bytes, AWS_METADATA_V6);
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    @Override
    public String toString() {
        if (any) {
            return property + ": any host";
        }
        return property + ": "
                + java.util.stream.Stream.concat(
                                globs.stream().map(HostGlob::text),
                                cidrs.stream().map(Cidr::text))
                        .collect(Collectors.joining(", "));
    }
}
