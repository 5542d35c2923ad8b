package io.meridian.observability.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.alert.AlertEvent.State;
import io.meridian.observability.domain.notify.NotifiableAlert;
import io.meridian.observability.domain.notify.Notification;
import io.meridian.observability.domain.notify.Payloads;
import io.meridian.observability.domain.notify.Receiver;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Delivery over SMTP to a real server (SubEthaSMTP) with STARTTLS and a certificate made for this run, reached by a
 * name that only the test's resolver knows: a mail that arrives was sent to the judged address and its certificate
 * checked against the name.
 */
class EmailDeliveryTest {

    static final String HOST = "smtp.test.example";
    static final String PASSWORD = "hunter2-" + Long.toHexString(System.nanoTime());
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Notification FIRING = new Notification(
            "mail",
            "{}:{alertname=\"NodeNotReady\", cluster=\"c1\"}",
            Map.of("alertname", "NodeNotReady", "cluster", "c1"),
            Notification.Status.FIRING,
            List.of(new NotifiableAlert(
                    "f00d",
                    State.FIRING,
                    Map.of("alertname", "NodeNotReady", "cluster", "c1", "severity", "critical"),
                    Map.of("summary", "node n1 is not ready", "runbook_url", "https://runbooks.example.com/node"),
                    T0,
                    null)),
            0,
            T0);

    @TempDir
    static Path dir;

    static Vertx vertx;
    static SSLContext serverTls;
    static X509TrustManager clientTrust;

    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile RejectException rejectRecipient;
    volatile RejectException rejectData;
    SMTPServer server;
    EmailDelivery delivery;

    record Received(String from, List<String> to, String data) {}

    @BeforeAll
    static void certificateAndVertx() throws Exception {
        char[] pass = TestKeyStores.PASSWORD;
        KeyStore keys = TestKeyStores.selfSigned(dir.resolve("smtp.p12"), "smtp", "CN=" + HOST, "dns:" + HOST);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pass);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        // The client trusts exactly this self-signed certificate, as it would a CA's.
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        clientTrust = (X509TrustManager) tmf.getTrustManagers()[0];
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        if (delivery != null) {
            delivery.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aMailArrivesOverStartTlsWithItsLoginToTheJudgedAddressAndThreads() throws Exception {
        start(b -> b.enableTLS()
                .requireTLS()
                .startTlsSocketFactory(serverTls)
                .requireAuth()
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    if (!user.equals("meridian") || !password.equals(PASSWORD)) {
                        throw new LoginFailedException();
                    }
                })));
        Receiver.Email receiver = receiver(HOST, "meridian", PASSWORD, true);
        List<String> logs = captureLogs();
        DeliveryOutcome outcome;
        try {
            outcome = send(receiver, FIRING);
        } finally {
            stopCapture();
        }

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(250));
        assertThat(received).hasSize(1);
        Received mail = received.getFirst();
        assertThat(mail.from()).isEqualTo("meridian@example.com");
        assertThat(mail.to()).containsExactly("oncall@example.com", "platform@example.com");
        Payloads.Email expected = Payloads.email(FIRING, "https://meridian.example.com");
        String data = unfoldQuotedPrintable(mail.data());
        assertThat(data)
                .contains("Subject: [FIRING:1] NodeNotReady c1")
                .contains("To: oncall@example.com,platform@example.com")
                .contains("Message-ID: <" + FIRING.dedupKey() + "@notifications.meridian>")
                .contains("References: " + expected.references())
                .contains(" - summary = node n1 is not ready")
                .contains("<a href=\"https://runbooks.example.com/node\">")
                .contains("multipart/alternative");
        // The SMTP dialogue was logged at debug, and the password in no form.
        String logged = String.join("\n", logs);
        assertThat(logged).contains("EHLO");
        assertThat(logged).doesNotContain(PASSWORD, base64("\0meridian\0" + PASSWORD), base64(PASSWORD));
    }

    @Test
    void aResentNotificationCarriesTheSameMessageIdAndOneClientServesTheReceiver() throws Exception {
        start(b -> b.enableTLS().requireTLS().startTlsSocketFactory(serverTls));
        Receiver.Email receiver = receiver(HOST, null, null, true);

        assertThat(send(receiver, FIRING)).isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(send(receiver, FIRING)).isInstanceOf(DeliveryOutcome.Delivered.class);

        assertThat(received).hasSize(2);
        assertThat(messageId(received.get(0).data()))
                .isEqualTo(messageId(received.get(1).data()));
        assertThat(delivery.openClients()).isEqualTo(1);
        delivery.retain(java.util.Set.of("someone-else"));
        assertThat(delivery.openClients()).isZero();
    }

    @Test
    void aServerThatOffersNoStartTlsGetsNothingWhenTlsIsRequired() throws Exception {
        start(b -> b); // no STARTTLS at all
        DeliveryOutcome outcome = send(receiver(HOST, null, null, true), FIRING);

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
            assertThat(f.reason()).contains("did not offer STARTTLS").contains(HOST);
            assertThat(f.retryable()).isFalse();
        });
        assertThat(received).isEmpty();

        // Relaxed, the same server gets the mail in clear text: the operator chose it, and there is no login.
        assertThat(send(receiver(HOST, null, null, false), FIRING)).isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(received).hasSize(1);
    }

    @Test
    void aLoginIsNeverSentWithoutTlsEvenWhenTlsIsNotRequired() throws Exception {
        start(b -> b.authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
            throw new AssertionError("the password crossed an unencrypted connection");
        })));
        DeliveryOutcome outcome = send(receiver(HOST, "meridian", PASSWORD, false), FIRING);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Failed.class,
                        f -> assertThat(f.reason())
                                .contains("did not offer STARTTLS")
                                .doesNotContain(PASSWORD));
        assertThat(received).isEmpty();
    }

    @Test
    void aCertificateThatDoesNotNameTheSmarthostIsRefused() throws Exception {
        start(b -> b.enableTLS().requireTLS().startTlsSocketFactory(serverTls));
        // Same server, same certificate (for smtp.test.example), reached under another name.
        DeliveryOutcome outcome = send(receiver("mail.other.example", null, null, true), FIRING);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Failed.class,
                        f -> assertThat(f.reason()).contains("TLS"));
        assertThat(received).isEmpty();
    }

    @Test
    void aPermanentReplyGivesUpAndATransientOneRetries() throws Exception {
        start(b -> b.enableTLS().requireTLS().startTlsSocketFactory(serverTls));
        Receiver.Email receiver = receiver(HOST, null, null, true);

        rejectRecipient = new RejectException(550, "5.1.1 mailbox unavailable");
        assertThat(send(receiver, FIRING)).isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
            assertThat(f.reason()).contains("550");
            assertThat(f.retryable()).isFalse();
        });

        rejectRecipient = null;
        rejectData = new RejectException(451, "4.3.0 try again later");
        assertThat(send(receiver, FIRING)).isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
            assertThat(f.reason()).contains("451");
            assertThat(f.retryable()).isTrue();
        });
        assertThat(received).isEmpty();
    }

    @Test
    void aRefusedLoginGivesUpWithoutThePassword() throws Exception {
        start(b -> b.enableTLS()
                .requireTLS()
                .startTlsSocketFactory(serverTls)
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    throw new LoginFailedException();
                })));
        DeliveryOutcome outcome = send(receiver(HOST, "meridian", PASSWORD, true), FIRING);

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
            assertThat(f.reason()).contains("535").doesNotContain(PASSWORD);
            assertThat(f.retryable()).isFalse();
        });
    }

    @Test
    void noServerListeningRetries() throws Exception {
        start(b -> b);
        int port = server.getPortAllocated();
        server.stop();
        server = null;
        Receiver.Email receiver = new Receiver.Email(
                "mail", List.of("oncall@example.com"), "meridian@example.com", HOST, port, null, null, true, true);

        assertThat(send(receiver, FIRING))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Failed.class,
                        f -> assertThat(f.retryable()).isTrue());
    }

    @Test
    void aSmarthostOnAReservedAddressIsRefusedBeforeAnyConnection() throws Exception {
        start(b -> b);
        delivery = new EmailDelivery(
                vertx,
                EndpointAllowList.of("test.allowed", Optional.of(List.of("*.example.com"))),
                host -> new InetAddress[] {InetAddress.getByName("169.254.169.254")},
                Duration.ofSeconds(5),
                "https://meridian.example.com",
                clientTrust);

        assertThat(send(receiver("smtp.example.com", null, null, true), FIRING))
                .isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
                    assertThat(f.reason()).contains("not allowed");
                    assertThat(f.retryable()).isFalse();
                });
    }

    // --- helpers

    private void start(UnaryOperator<SMTPServer.Builder> settings) {
        SMTPServer.Builder builder = SMTPServer.port(0)
                .bindAddress(loopback())
                .hostName(HOST)
                .messageHandlerFactory(context -> new Recorder());
        server = settings.apply(builder).build();
        server.start();
        if (delivery == null) {
            // Every name resolves to the server on loopback: only what the test says, never real DNS.
            delivery = new EmailDelivery(
                    vertx,
                    EndpointAllowList.of("test.allowed", Optional.empty()),
                    host -> new InetAddress[] {loopback()},
                    Duration.ofSeconds(5),
                    "https://meridian.example.com",
                    clientTrust);
        }
    }

    private Receiver.Email receiver(String host, String username, String password, boolean requireTls) {
        return new Receiver.Email(
                "mail",
                List.of("oncall@example.com", "platform@example.com"),
                "meridian@example.com",
                host,
                server.getPortAllocated(),
                username,
                password,
                requireTls,
                true);
    }

    private DeliveryOutcome send(Receiver.Email receiver, Notification n) throws Exception {
        return delivery.deliver(receiver, n).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private final class Recorder implements MessageHandler {
        private String from;
        private final List<String> to = new CopyOnWriteArrayList<>();

        @Override
        public void from(String from) {
            this.from = from;
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            if (rejectRecipient != null) {
                throw rejectRecipient;
            }
            to.add(recipient);
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            byte[] bytes = data.readAllBytes();
            if (rejectData != null) {
                throw rejectData;
            }
            received.add(new Received(from, List.copyOf(to), new String(bytes, StandardCharsets.UTF_8)));
            return null;
        }

        @Override
        public void done() {}
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String messageId(String data) {
        return data.lines()
                .filter(l -> l.regionMatches(true, 0, "Message-ID:", 0, 11))
                .findFirst()
                .orElseThrow();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The message with quoted-printable soft breaks and escapes undone, enough to read its text. */
    static String unfoldQuotedPrintable(String data) {
        // Folded header lines are joined too (RFC 5322 section 2.2.3); the body's indented lines stay.
        int end = data.indexOf("\r\n\r\n") >= 0 ? data.indexOf("\r\n\r\n") : Math.max(0, data.indexOf("\n\n"));
        String joined = data.substring(0, end).replaceAll("\r?\n(?=[ \t])", "")
                + data.substring(end).replace("=\r\n", "").replace("=\n", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = joined.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '=' && i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2])) {
                out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean hex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'F');
    }

    private Handler capture;
    private Level vertxLevel;

    private List<String> captureLogs() {
        List<String> lines = new CopyOnWriteArrayList<>();
        capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLoggerName() + " " + record.getMessage() + " "
                        + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        Logger vertxLogger = Logger.getLogger("io.vertx.ext.mail");
        vertxLevel = vertxLogger.getLevel();
        vertxLogger.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        return lines;
    }

    private void stopCapture() {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger("io.vertx.ext.mail").setLevel(vertxLevel);
    }
}
