package io.meridian.observability.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which smarthost names a certificate vouches for: its subject alternative names, wildcards for one label. */
class SmarthostTrustManagerTest {

    @TempDir
    static Path dir;

    static X509Certificate certificate;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("names.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "smtp",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=cn-only.example.org",
                        "-ext",
                        "SAN=dns:*.mail.example.com,dns:smtp.example.com,ip:10.0.0.25",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        certificate = (X509Certificate) keys.getCertificate("smtp");
    }

    @Test
    void exactNamesAndOneLabelWildcardsMatch() throws Exception {
        assertThat(SmarthostTrustManager.names(certificate, "smtp.example.com")).isTrue();
        assertThat(SmarthostTrustManager.names(certificate, "smtp.example.com."))
                .isTrue();
        assertThat(SmarthostTrustManager.names(certificate, "eu.mail.example.com"))
                .isTrue();
    }

    @Test
    void otherNamesDeeperNamesAndTheCommonNameDoNot() throws Exception {
        assertThat(SmarthostTrustManager.names(certificate, "mail.example.com")).isFalse();
        assertThat(SmarthostTrustManager.names(certificate, "a.eu.mail.example.com"))
                .isFalse();
        assertThat(SmarthostTrustManager.names(certificate, "example.com")).isFalse();
        assertThat(SmarthostTrustManager.names(certificate, "cn-only.example.org"))
                .isFalse();
        assertThat(SmarthostTrustManager.names(certificate, "evilsmtp.example.com"))
                .isFalse();
    }

    @Test
    void anIpLiteralMatchesOnlyAnIpEntry() throws Exception {
        assertThat(SmarthostTrustManager.names(certificate, "10.0.0.25")).isTrue();
        assertThat(SmarthostTrustManager.names(certificate, "10.0.0.26")).isFalse();
    }
}
