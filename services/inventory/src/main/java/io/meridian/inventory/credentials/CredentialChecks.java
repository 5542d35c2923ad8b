package io.meridian.inventory.credentials;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks shared by both kinds of credentials; messages describe a value without ever quoting a secret. */
final class CredentialChecks {

    private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PKCS8_END = "-----END PRIVATE KEY-----";

    private CredentialChecks() {}

    static List<FieldProblem> bearerToken(ClusterCredentials.BearerToken credentials) {
        var problems = new ArrayList<FieldProblem>();
        tokenProblem(credentials.token()).ifPresent(m -> problems.add(new FieldProblem("token", m)));
        if (credentials.caBundlePem() != null) {
            caBundleProblem(credentials.caBundlePem()).ifPresent(m -> problems.add(new FieldProblem("caBundlePem", m)));
            if (credentials.insecureSkipTlsVerify()) {
                problems.add(new FieldProblem(
                        "insecureSkipTlsVerify", "set either caBundlePem or insecureSkipTlsVerify, not both"));
            }
        }
        return problems;
    }

    static Optional<String> tokenProblem(String token) {
        if (token == null || token.isBlank()) {
            return Optional.of("token must not be blank");
        }
        if (token.length() > ClusterCredentials.MAX_TOKEN_BYTES) {
            return Optional.of("token is longer than " + ClusterCredentials.MAX_TOKEN_BYTES / 1024 + " KiB");
        }
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of("token must be the token alone, without the 'Bearer ' prefix");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            // Anything else would break or smuggle into the Authorization header.
            if (c < 0x21 || c > 0x7e) {
                return Optional.of(
                        "token must be printable ASCII without whitespace (invalid character at position " + i + ")");
            }
        }
        return Optional.empty();
    }

    static Optional<String> caBundleProblem(String pem) {
        if (pem.isBlank()) {
            return Optional.of("CA bundle is empty");
        }
        if (pem.length() > ClusterCredentials.MAX_CA_BUNDLE_BYTES) {
            return Optional.of("CA bundle is longer than " + ClusterCredentials.MAX_CA_BUNDLE_BYTES / 1024 + " KiB");
        }
        if (!pem.contains(PEM_CERTIFICATE)) {
            return Optional.of("CA bundle must be PEM: one or more '" + PEM_CERTIFICATE + "' blocks");
        }
        return certificateProblem(pem.getBytes(StandardCharsets.UTF_8), "CA bundle");
    }

    static Optional<String> certificateProblem(byte[] pem, String what) {
        try {
            var certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            return certificates.isEmpty() ? Optional.of(what + " contains no certificate") : Optional.empty();
        } catch (CertificateException e) {
            return Optional.of(what + " is not a valid PEM X.509 certificate");
        }
    }

    /**
     * The algorithm of an unencrypted PEM private key (PKCS#1 RSA, SEC1 EC, or PKCS#8), empty when the bytes are not
     * one; fabric8 needs it to load the key.
     */
    static Optional<String> privateKeyAlgorithm(byte[] pemBytes) {
        String pem = new String(pemBytes, StandardCharsets.US_ASCII);
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            return Optional.of("RSA");
        }
        if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            return Optional.of("EC");
        }
        int begin = pem.indexOf(PKCS8_BEGIN);
        int end = pem.indexOf(PKCS8_END);
        if (begin < 0 || end < begin) {
            return Optional.empty();
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + PKCS8_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return Optional.of(algorithm);
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        return Optional.empty();
    }

    static Optional<String> serverUrlProblem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("server URL is missing");
        }
        try {
            var uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                return Optional.of("server URL must start with https:// or http://");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.of("server URL has no host");
            }
            if (uri.getRawUserInfo() != null) {
                return Optional.of("server URL must not contain user information");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("server URL is not a valid URL");
        }
    }
}
