package io.meridian.inventory.connect;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.transport.Transport;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadFactory;

/**
 * The Vert.x transport of the cluster network: a host name becomes the address its {@link PinnedEndpoint} judged, at
 * the one place where Vert.x turns every connection's address into a socket address (HTTP requests, WebSockets and
 * so watches, redirects, the destination of a proxy's CONNECT). The socket address is the judged address alone,
 * already resolved: Netty never asks DNS, and a proxy is asked for that address, not for the name. TLS still sends
 * and verifies the name, which Vert.x takes from the connection's own address.
 *
 * <p>A name no live connection pinned cannot be connected to: its address is {@code unpinned.invalid.} (RFC 6761),
 * which the resolver refuses, so the connection fails instead of reaching whatever DNS answers now.
 */
final class PinningTransport implements Transport {

    /** Answers the judged address of a host name, or says why there is none. */
    @FunctionalInterface
    interface Pins {
        InetAddress addressFor(String host) throws ConnectException;
    }

    // Fully qualified (trailing dot), so that no resolver tries it under its search domains first.
    private static final String NOWHERE = "unpinned.invalid.";

    private final Transport delegate;
    private final Pins pins;

    PinningTransport(Transport delegate, Pins pins) {
        this.delegate = delegate;
        this.pins = pins;
    }

    @Override
    public java.net.SocketAddress convert(SocketAddress address) {
        if (!address.isInetSocket() || isLiteral(address.host())) {
            return delegate.convert(address);
        }
        try {
            InetAddress judged = pins.addressFor(address.host());
            // The address alone, without the name: through an HTTP proxy, Netty's CONNECT names what it is given,
            // and a name would let the proxy resolve it again. TLS takes the name from Vert.x's own address.
            return new InetSocketAddress(InetAddress.getByAddress(judged.getAddress()), address.port());
        } catch (ConnectException | UnknownHostException unpinned) {
            return InetSocketAddress.createUnresolved(NOWHERE, address.port());
        }
    }

    private static boolean isLiteral(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return NetUtil.isValidIpV4Address(bare) || NetUtil.isValidIpV6Address(bare);
    }

    @Override
    public SocketAddress convert(java.net.SocketAddress address) {
        return delegate.convert(address);
    }

    @Override
    public boolean supportsDomainSockets() {
        return delegate.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
        return delegate.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return delegate.unavailabilityCause();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory threadFactory, int ioRatio) {
        return delegate.eventLoopGroup(type, threads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
        return delegate.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return delegate.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
        return delegate.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        return delegate.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, io.vertx.core.datagram.DatagramSocketOptions options) {
        delegate.configure(channel, options);
    }

    @Override
    public void configure(
            io.vertx.core.net.ClientOptionsBase options, boolean domainSocket, io.netty.bootstrap.Bootstrap bootstrap) {
        delegate.configure(options, domainSocket, bootstrap);
    }

    @Override
    public void configure(
            io.vertx.core.net.NetServerOptions options,
            boolean domainSocket,
            io.netty.bootstrap.ServerBootstrap bootstrap) {
        delegate.configure(options, domainSocket, bootstrap);
    }
}
