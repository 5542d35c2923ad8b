package io.meridian.inventory.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The test-only CA and client certificate in src/test/resources (see README.txt there); never trust them elsewhere. */
final class TestPki {

    static final String CA_PEM = read("test-only-ca.pem");
    static final String CLIENT_CERT_PEM = read("test-only-client.pem");
    static final String CLIENT_KEY_PEM = read("test-only-client.key");

    private TestPki() {}

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(String name) {
        try (InputStream in = TestPki.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
