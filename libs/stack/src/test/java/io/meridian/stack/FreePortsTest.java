package io.meridian.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void handsOutBindablePortsBelowTheEphemeralRangeAndSkipsTakenOnes() throws IOException {
        int first = FreePorts.next();
        assertThat(first).isBetween(FreePorts.FIRST_PORT, FreePorts.LAST_PORT);
        try (ServerSocket holder = new ServerSocket()) {
            holder.setReuseAddress(true);
            holder.bind(new InetSocketAddress(first));
            // The port is held now: the next ones are others.
            int second = FreePorts.next();
            int third = FreePorts.next();
            assertThat(second).isNotEqualTo(first).isBetween(FreePorts.FIRST_PORT, FreePorts.LAST_PORT);
            assertThat(third).isNotIn(first, second);
        }
    }
}
