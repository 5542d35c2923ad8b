package io.meridian.testsupport;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;

/** Awaitility with the timeouts Meridian's tests agree on: generous for CI, polling fast. */
public final class Awaits {

    /** Long enough for a loaded 2-core CI machine, short enough to fail a hung test quickly. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Awaits() {}

    /** Retries the assertion until it passes or the default timeout expires. */
    public static void eventually(ThrowingRunnable assertion) {
        eventually(DEFAULT_TIMEOUT, assertion);
    }

    public static void eventually(Duration timeout, ThrowingRunnable assertion) {
        Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .untilAsserted(assertion);
    }
}
