package io.meridian.observability.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
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
        KeyStore keys = TestKeyStores.selfSigned(
                dir.resolve("names.p12"),
                "smtp",
                "CN=cn-only.example.org",
                "dns:*.mail.example.com,dns:smtp.example.com,ip:10.0.0.25");
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
