package io.meridian.inventory.connect;

import io.meridian.servicekit.endpoints.EndpointAllowList.Decision;
import java.net.ConnectException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A cluster's API server as last resolved and judged by the allow-list: the one address every request of the
 * cluster's client connects to. The client never resolves the name itself, so DNS cannot answer the allow-list one
 * address and the connection another (DNS rebinding); TLS still verifies the certificate for the name.
 *
 * <p>The address stays until {@link #repin()} judges the name again, which the connection does when the cluster
 * stops answering (an API server that moved is found again). A refused answer leaves no address at all: every request
 * then fails with the reason, and nothing is connected to.
 */
final class PinnedEndpoint {

    private final String url;
    private final String host;
    private final Function<String, Decision> judge;
    private volatile Decision decision;

    private PinnedEndpoint(String url, Function<String, Decision> judge) {
        this.url = Objects.requireNonNull(url, "url");
        this.judge = Objects.requireNonNull(judge, "judge");
        String named;
        try {
            named = java.net.URI.create(url).getHost();
        } catch (IllegalArgumentException malformed) {
            named = null; // the allow-list refuses it with the reason
        }
        this.host = named == null ? "" : normalize(named);
    }

    /** Whether {@code name} is the host this endpoint pinned (in any spelling the allow-list accepts). */
    boolean isFor(String name) {
        return name != null && !host.isEmpty() && normalize(name).equals(host);
    }

    /** Resolves and judges {@code url} now (blocking on DNS); {@code judge} is the allow-list's check with DNS. */
    static PinnedEndpoint resolve(String url, Function<String, Decision> judge) {
        PinnedEndpoint endpoint = new PinnedEndpoint(url, judge);
        endpoint.repin();
        return endpoint;
    }

    /** Resolves and judges the name again; blocks on DNS, so never on an event loop. */
    void repin() {
        decision = judge.apply(url);
    }

    /** Why nothing may be connected to now, when the last judgement refused the endpoint. */
    Optional<String> refusal() {
        return decision instanceof Decision.Refused refused ? Optional.of(refused.reason()) : Optional.empty();
    }

    /**
     * The address a request to {@code host} must connect to.
     *
     * @throws ConnectException saying why not: the endpoint is refused, its name resolved to nothing, or the request
     *     is for another host than the one pinned (this client talks to its API server only)
     */
    InetAddress addressFor(String host) throws ConnectException {
        Decision current = decision;
        return switch (current) {
            case Decision.Refused refused ->
                throw new ConnectException("cluster endpoint not allowed: " + refused.reason());
            case Decision.Allowed allowed -> {
                if (host == null || !normalize(host).equals(allowed.host())) {
                    throw new ConnectException("this client connects to " + allowed.host() + " only, not to " + host);
                }
                if (allowed.addresses().isEmpty()) {
                    throw new ConnectException("host " + allowed.host() + " does not resolve");
                }
                yield allowed.addresses().getFirst();
            }
        };
    }

    /**
     * The URL naming the judged address instead of the host: for a proxy, which Vert.x would otherwise resolve itself,
     * and whose leg carries no TLS name to keep.
     *
     * @throws ConnectException when the endpoint is refused or its name resolved to nothing
     */
    String addressedUrl() throws ConnectException {
        java.net.URI uri = java.net.URI.create(url);
        String address = addressFor(uri.getHost()).getHostAddress();
        try {
            return new java.net.URI(
                            uri.getScheme(),
                            uri.getUserInfo(),
                            address,
                            uri.getPort(),
                            uri.getPath(),
                            uri.getQuery(),
                            uri.getFragment())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new ConnectException("cannot address " + host + " by " + address + ": " + e.getMessage());
        }
    }

    /** The same spelling the allow-list judges: lower case, no IPv6 brackets, no trailing dot. */
    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
