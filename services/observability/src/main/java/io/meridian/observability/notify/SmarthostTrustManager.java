package io.meridian.observability.notify;

import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts an SMTP server's certificate when the platform's trust store does and the certificate names the smarthost
 * as the receiver wrote it. The connection goes to the address the allow-list judged, so the TLS peer is an IP
 * address: checking the certificate against the socket's peer would test the wrong name.
 */
final class SmarthostTrustManager extends X509ExtendedTrustManager {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private final X509TrustManager chains;
    private final String name;

    /** {@code chains} validates the chain (without naming a host); {@code name} is what the certificate must name. */
    SmarthostTrustManager(X509TrustManager chains, String name) {
        this.chains = chains;
        this.name = name.toLowerCase(Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        chains.checkServerTrusted(chain, authType);
        if (!names(chain[0], name)) {
            throw new CertificateException("the SMTP server's certificate does not name " + name);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a mail client trusts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chains.getAcceptedIssuers();
    }

    /**
     * Whether the certificate names {@code host} in its subject alternative names, as RFC 6125 asks (the subject's
     * common name is not consulted): an IP literal matches an IP entry, a name matches a DNS entry exactly or by a
     * wildcard standing for the whole leftmost label.
     */
    static boolean names(X509Certificate certificate, String host) throws CertificateParsingException {
        Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
        if (entries == null) {
            return false;
        }
        Optional<InetAddress> literal = ipLiteral(host);
        for (List<?> entry : entries) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1));
            if (literal.isPresent()) {
                if (type == IP_ADDRESS && ipLiteral(value).equals(literal)) {
                    return true;
                }
            } else if (type == DNS_NAME && dnsMatches(value.toLowerCase(Locale.ROOT), host)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(String pattern, String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (!pattern.startsWith("*.")) {
            return pattern.equals(h);
        }
        int dot = h.indexOf('.');
        // "*.example.com" stands for one label: not example.com itself, not a.b.example.com, and never a bare TLD.
        return dot > 0 && pattern.indexOf('.', 2) > 0 && h.substring(dot).equals(pattern.substring(1));
    }

    private static Optional<InetAddress> ipLiteral(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+");
        // Only literals reach getByName: a name must never be resolved here.
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(t));
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }
}
