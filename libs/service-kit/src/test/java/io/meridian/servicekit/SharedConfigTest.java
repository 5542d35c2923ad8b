package io.meridian.servicekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Settings every service inherits from the kit, whose loss would only show in a long outage or an upgrade. */
class SharedConfigTest {

    private static Properties shared() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = SharedConfigTest.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            properties.load(in);
        }
        return properties;
    }

    @Test
    void aConsumerWaitingOutADatabaseOutageIsNotClosedByTheThrottledCommitWatchdog() throws IOException {
        assertThat(shared().getProperty(
                                "mp.messaging.connector.smallrye-kafka.throttled.unprocessed-record-max-age.ms"))
                .as("0 turns the watchdog off; any other value closes a channel whose record waits that long")
                .isEqualTo("0");
    }

    @Test
    void aLaterSharedMigrationStillAppliesToADatabaseThatHasTheServicesOwn() throws IOException {
        assertThat(shared().getProperty("quarkus.flyway.out-of-order")).isEqualTo("true");
    }
}
