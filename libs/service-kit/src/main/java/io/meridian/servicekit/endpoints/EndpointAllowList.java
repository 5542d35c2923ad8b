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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hosts a service may connect to on a caller's behalf, from one configuration property: host globs
 * ({@code *.eks.amazonaws.com}, {@code api.prod.example.com}) and CIDRs ({@code 10.20.0.0/16}, {@code fd00::/8}; a
 * bare address is one host). Unset, any host is allowed, with the exceptions below.
 *
 * <p>Whatever is configured, reserved addresses are refused ({@link ReservedRange}): cloud metadata services
 * (169.254.169.254, fd00:ec2::254, and names such as {@code metadata.google.internal}), the rest of link-local,
 * unspecified, multicast and broadcast, and loopback once a list is configured. Only a listed CIDR that lies inside
 * such a range admits an address of it ({@code 169.254.169.254/32}, never {@code 0.0.0.0/0}); a metadata name must be
 * listed as itself, not matched by a glob. Loopback is open while nothing is configured, for the local stack.
 *
 * <p>Otherwise a URL is allowed when its host is
 *
 * <ul>
 *   <li>an IP literal inside a listed CIDR;
 *   <li>a name a listed glob matches;
 *   <li>any other name whose every address lies inside listed CIDRs.
 * </ul>
 *
 * Without DNS ({@link #refusal(String)}) only what the URL itself shows is judged. {@link #check(String, Resolver)}
 * resolves the host once and judges every address it resolves to; a connection must then go to one of exactly those
 * addresses ({@link Decision.Allowed#addresses()}) and never resolve the name again, or DNS could answer otherwise the
 * second time (DNS rebinding).
 */
public final class EndpointAllowList {

    /** Resolves a host name to its addresses; {@link #SYSTEM} outside tests. */
    @FunctionalInterface
    public interface Resolver {
        Resolver SYSTEM = InetAddress::getAllByName;

        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The outcome of judging a URL with DNS. */
    public sealed interface Decision {

        /**
         * The URL may be used, connecting to one of {@code addresses} (every one judged) and to nothing else; empty
         * when a host the list names does not resolve now, so there is nowhere to connect to yet.
         */
        record Allowed(String host, List<InetAddress> addresses) implements Decision {
            public Allowed {
                addresses = List.copyOf(addresses);
            }
        }

        /** The URL must not be used, and why, naming the property that would allow it. */
        record Refused(String reason) implements Decision {}
    }

    /** Host names of cloud metadata services, which resolve to link-local addresses inside the cloud. */
    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal");

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
     * The allow-list configured in {@code property}; none configured allows any host but reserved addresses.
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

    /** Whether nothing is configured, so every host is allowed but for reserved addresses other than loopback. */
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
        return reasonOf(judge(url, null));
    }

    /** Why connecting to {@code url} is refused once its host is resolved; empty when it is allowed. */
    public Optional<String> refusal(String url, Resolver resolver) {
        return reasonOf(check(url, resolver));
    }

    /**
     * Resolves the host of {@code url} once and judges every address; the addresses of an {@link Decision.Allowed}
     * are the only ones a connection to {@code url} may use.
     */
    public Decision check(String url, Resolver resolver) {
        return judge(url, Objects.requireNonNull(resolver, "resolver"));
    }

    private static Optional<String> reasonOf(Decision decision) {
        return decision instanceof Decision.Refused refused ? Optional.of(refused.reason()) : Optional.empty();
    }

    private Decision judge(String url, Resolver resolver) {
        String given;
        try {
            given = url == null ? null : new URI(url).getHost();
        } catch (URISyntaxException e) {
            return new Decision.Refused("is not a URL");
        }
        if (given == null || given.isEmpty()) {
            return new Decision.Refused("must name a host");
        }
        String host = normalize(given);
        Optional<InetAddress> literal = IpLiterals.parse(host);
        if (literal.isPresent()) {
            Optional<String> refused = refusalOf(literal.get(), "address " + host + " is", true);
            return refused.<Decision>map(Decision.Refused::new)
                    .orElseGet(() -> new Decision.Allowed(host, List.of(literal.get())));
        }
        if (METADATA_NAMES.contains(host)
                && globs.stream().noneMatch(g -> g.text().equals(host))) {
            return new Decision.Refused("host " + host + " is a cloud metadata service, which only listing exactly"
                    + " this name admits (" + property + ")");
        }
        boolean named = any || globs.stream().anyMatch(g -> g.matches(host));
        if (!named && cidrs.isEmpty()) {
            return new Decision.Refused("host " + host + " is not an allowed host (" + property + ")");
        }
        if (resolver == null) {
            return new Decision.Allowed(host, List.of());
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            // A listed name that does not resolve reaches nothing; an unlisted one is judged only by its addresses.
            return named
                    ? new Decision.Allowed(host, List.of())
                    : new Decision.Refused("host " + host + " does not resolve, and only its addresses could allow it ("
                            + property + ")");
        }
        if (addresses == null || addresses.length == 0) {
            return named
                    ? new Decision.Allowed(host, List.of())
                    : new Decision.Refused("host " + host + " resolves to no address (" + property + ")");
        }
        // Every address, not only the first: the connection may be given any of them.
        for (InetAddress address : addresses) {
            Optional<String> refused =
                    refusalOf(address, "host " + host + " resolves to " + address.getHostAddress() + ",", !named);
            if (refused.isPresent()) {
                return new Decision.Refused(refused.get());
            }
        }
        return new Decision.Allowed(host, Arrays.asList(addresses));
    }

    /**
     * Why {@code address} may not be connected to, in a sentence starting with {@code subject}; {@code needsCidr}
     * when only a listed CIDR could admit it (an IP literal, or an unlisted name's address).
     */
    private Optional<String> refusalOf(InetAddress address, String subject, boolean needsCidr) {
        Optional<ReservedRange> reserved = ReservedRange.of(address);
        if (reserved.isPresent()) {
            ReservedRange range = reserved.get();
            if ((any && range.openByDefault()) || cidrs.stream().anyMatch(c -> range.admittedBy(c, address))) {
                return Optional.empty();
            }
            return Optional.of(subject + " " + range.what() + ", which only a listed CIDR inside " + range.range()
                    + " admits (" + property + ")");
        }
        if (any || !needsCidr || inCidrs(address)) {
            return Optional.empty();
        }
        return Optional.of(subject + " outside the allowed CIDRs (" + property + ")");
    }

    private boolean inCidrs(InetAddress address) {
        for (Cidr cidr : cidrs) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
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
