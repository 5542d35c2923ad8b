package io.meridian.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for services whose port a caller does not fix. They come from below Linux's default ephemeral range
 * (32768-60999): a port taken there with {@code new ServerSocket(0)} and released again can be handed to any outgoing
 * connection or port-0 listener (Kafka clients, the simulated fleet's API servers) before the service binds it; this
 * range the kernel does not hand out on its own.
 */
public final class FreePorts {

    static final int FIRST_PORT = 20000;
    static final int LAST_PORT = 32000;

    // Each JVM starts at its own offset, so that two test JVMs on one machine rarely try the same ports.
    private static final AtomicInteger NEXT_PORT =
            new AtomicInteger(FIRST_PORT + (int) (ProcessHandle.current().pid() % 1000) * 10);

    private FreePorts() {}

    /**
     * A port that nothing listens on right now; a service may still lose it before it binds it (see
     * {@link ServiceProcess#lostItsPort()}).
     */
    public static int next() {
        for (int attempt = 0; attempt < LAST_PORT - FIRST_PORT; attempt++) {
            int port = NEXT_PORT.getAndUpdate(p -> p >= LAST_PORT ? FIRST_PORT : p + 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException e) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free port between " + FIRST_PORT + " and " + LAST_PORT);
    }
}
