package io.meridian.observability.notify;

import io.meridian.observability.domain.notify.Notification;
import io.meridian.observability.domain.notify.Payloads;
import io.meridian.observability.domain.notify.Receiver;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Sends a notification to an e-mail receiver over SMTP. The smarthost is judged by the endpoint allow-list, which
 * resolves it once; the mail client connects to that judged address and checks the server's certificate against the
 * smarthost's name ({@link SmarthostTrustManager}). STARTTLS is required unless the receiver relaxes it, and a login
 * is only ever sent after STARTTLS. One mail client per receiver configuration, replaced when the receiver or its
 * judged address changes and closed when the receiver goes. Reasons never carry the password.
 */
public final class EmailDelivery {

    /** The status a delivered mail is recorded with: SMTP's "requested mail action completed". */
    static final int SMTP_OK = 250;

    private final Vertx vertx;
    private final EndpointAllowList allowList;
    private final EndpointAllowList.Resolver resolver;
    private final Duration timeout;
    private final String externalUrl;
    private final X509TrustManager trust;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    /** A receiver's mail client, made for exactly this configuration (password included) and this address. */
    private record Client(Receiver.Email receiver, InetAddress address, MailClient mail) {}

    /**
     * {@code trust} validates server certificate chains (the platform's trust store outside tests, see
     * {@link #platformTrust()}); the name each certificate must carry is checked here.
     */
    public EmailDelivery(
            Vertx vertx,
            EndpointAllowList allowList,
            EndpointAllowList.Resolver resolver,
            Duration timeout,
            String externalUrl,
            X509TrustManager trust) {
        this.vertx = vertx;
        this.allowList = allowList;
        this.resolver = resolver;
        this.timeout = timeout;
        this.externalUrl = externalUrl;
        this.trust = trust;
    }

    /** The JVM's default trust store, as every TLS client of the service uses it. */
    public static X509TrustManager platformTrust() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the platform offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the platform trust store cannot be read", e);
        }
    }

    /**
     * Sends; completes with the outcome, never exceptionally. Blocks the caller only for the allow-list's DNS
     * lookup, so call it off the event loop.
     */
    public CompletionStage<DeliveryOutcome> deliver(Receiver.Email receiver, Notification notification) {
        InetAddress address;
        switch (allowList.check("smtp://" + receiver.smarthost(), resolver)) {
            case EndpointAllowList.Decision.Refused refused -> {
                return CompletableFuture.completedFuture(new DeliveryOutcome.Failed(
                        "smarthost of receiver " + receiver.name() + " not allowed: " + refused.reason(), false));
            }
            case EndpointAllowList.Decision.Allowed allowed -> {
                if (allowed.addresses().isEmpty()) {
                    // DNS may answer later: a retry can succeed.
                    return CompletableFuture.completedFuture(
                            new DeliveryOutcome.Failed("host " + allowed.host() + " does not resolve", true));
                }
                address = allowed.addresses().getFirst();
            }
        }
        Payloads.Email mail = Payloads.email(notification, externalUrl);
        MailMessage message = new MailMessage()
                .setFrom(receiver.from())
                .setTo(receiver.to())
                .setSubject(mail.subject())
                .setText(mail.text())
                .setHtml(mail.html())
                .setHeaders(MultiMap.caseInsensitiveMultiMap()
                        .add("Message-ID", mail.messageId())
                        .add("In-Reply-To", mail.references())
                        .add("References", mail.references())
                        .add("X-Meridian-Receiver", receiver.name()));
        Client client;
        try {
            client = client(receiver, address);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(receiver, e));
        }
        CompletableFuture<DeliveryOutcome> result = new CompletableFuture<>();
        client.mail()
                .sendMail(message)
                .onSuccess(sent -> result.complete(new DeliveryOutcome.Delivered(SMTP_OK)))
                .onFailure(e -> result.complete(failure(receiver, e)));
        DeliveryOutcome late = new DeliveryOutcome.Failed(
                "receiver " + receiver.name() + " gave no answer within " + timeout.toMillis() + " ms", true);
        return result.completeOnTimeout(late, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((outcome, error) -> {
                    if (outcome instanceof DeliveryOutcome.Failed) {
                        // A connection left after a refusal or a stall mid-dialogue is not reused (the pooled one
                        // can hang the next mail): the next attempt starts with a fresh client.
                        if (clients.remove(receiver.name(), client)) {
                            client.mail().close();
                        }
                    }
                });
    }

    /** Closes the mail client of a receiver that changed or was deleted; the next delivery makes a new one. */
    public void forget(String receiver) {
        Client gone = clients.remove(receiver);
        if (gone != null) {
            gone.mail().close();
        }
    }

    /** Closes the mail clients of receivers that no longer exist. */
    public void retain(Set<String> receivers) {
        for (String name : Set.copyOf(clients.keySet())) {
            if (!receivers.contains(name)) {
                forget(name);
            }
        }
    }

    /** How many mail clients are open, one per receiver at most. */
    int openClients() {
        return clients.size();
    }

    /** Closes every mail client; the Vert.x they run on is not this class's to close. */
    public void close() {
        for (String name : Set.copyOf(clients.keySet())) {
            forget(name);
        }
    }

    private Client client(Receiver.Email receiver, InetAddress address) {
        Client[] stale = new Client[1];
        Client current = clients.compute(receiver.name(), (name, existing) -> {
            if (existing != null
                    && existing.receiver().equals(receiver)
                    && existing.address().equals(address)) {
                return existing;
            }
            stale[0] = existing;
            return new Client(receiver, address, MailClient.create(vertx, config(receiver, address)));
        });
        if (stale[0] != null) {
            stale[0].mail().close();
        }
        return current;
    }

    MailConfig config(Receiver.Email receiver, InetAddress address) {
        boolean login = receiver.username() != null;
        MailConfig config = new MailConfig()
                // The judged address, never the name: resolving it again could answer otherwise (DNS rebinding).
                .setHostname(address.getHostAddress())
                .setPort(receiver.port())
                // A login is never sent in clear text, whatever requireTls says.
                .setStarttls(receiver.requireTls() || login ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
                .setLogin(login ? LoginOption.REQUIRED : LoginOption.DISABLED)
                .setTrustAll(false)
                // The peer is an IP address, so the name check is the trust manager's, against the smarthost's name.
                .setTrustOptions(TrustOptions.wrap(new SmarthostTrustManager(trust, receiver.host())))
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setIdleTimeout((int) Math.max(1, timeout.toSeconds()))
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxPoolSize(1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(60);
        if (login) {
            config.setUsername(receiver.username()).setPassword(receiver.password());
        }
        return config;
    }

    static DeliveryOutcome failure(Receiver.Email receiver, Throwable e) {
        String prefix = "receiver " + receiver.name() + ": ";
        if (e instanceof SMTPException smtp) {
            int code = smtp.getReplyCode();
            String reply = clean(smtp.getReplyMessage(), receiver);
            String reason = prefix + "the SMTP server answered " + reply;
            if (code == 535 || code == 534) {
                return new DeliveryOutcome.Failed(prefix + "the SMTP server refused the login: " + reply, false);
            }
            // 4xx asks to come back later; 5xx refuses for good (RFC 5321 section 4.2.1).
            return new DeliveryOutcome.Failed(reason, !(code >= 500 && code < 600));
        }
        String message = clean(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), receiver);
        if (message.contains("STARTTLS required but not supported")) {
            return new DeliveryOutcome.Failed(
                    prefix + "the SMTP server at " + receiver.smarthost()
                            + " did not offer STARTTLS, which the receiver requires (requireTls)",
                    false);
        }
        if (message.contains("no allowed AUTH methods")) {
            return new DeliveryOutcome.Failed(
                    prefix + "the SMTP server offers no login method Meridian can use over TLS", false);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof java.security.cert.CertificateException) {
                // A certificate can be renewed or fixed: worth trying again within the attempts.
                return new DeliveryOutcome.Failed(
                        prefix + "TLS with the SMTP server at " + receiver.smarthost() + " failed: "
                                + clean(String.valueOf(t.getMessage()), receiver),
                        true);
            }
        }
        return new DeliveryOutcome.Failed(prefix + message, true);
    }

    /** One line, bounded, and never the password, whatever a server or library chose to echo. */
    private static String clean(String text, Receiver.Email receiver) {
        String t = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        if (receiver.password() != null && !receiver.password().isEmpty()) {
            t = t.replace(receiver.password(), "<redacted>");
        }
        return t.length() <= 300 ? t : t.substring(0, 299) + "…";
    }
}
