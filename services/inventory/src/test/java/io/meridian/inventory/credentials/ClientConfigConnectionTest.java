package io.meridian.inventory.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceListBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meridian.inventory.credentials.ClusterCredentials.BearerToken;
import io.meridian.inventory.credentials.ClusterCredentials.Kubeconfig;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The configurations built from credentials reach a real (mock) API server over TLS and authenticate. */
class ClientConfigConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private KubernetesMockServer server;

    @BeforeEach
    void startServer() {
        server = new KubernetesMockServer(true);
        server.init();
        server.expect()
                .get()
                .withPath("/api/v1/namespaces")
                .andReturn(
                        200,
                        new NamespaceListBuilder()
                                .addToItems(new NamespaceBuilder()
                                        .withNewMetadata()
                                        .withName("kube-system")
                                        .endMetadata()
                                        .build())
                                .build())
                .always();
    }

    @AfterEach
    void stopServer() {
        server.destroy();
    }

    @Test
    void aBearerTokenIsSentAsTheAuthorizationHeader() throws InterruptedException {
        Config config = ClusterCredentials.toClientConfig(
                server.url("/"), new BearerToken(ClusterCredentialsTest.TOKEN, null, true), TIMEOUT, TIMEOUT);

        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            assertThat(client.namespaces().list().getItems()).hasSize(1);
        }
        assertThat(server.getLastRequest().getHeader("Authorization"))
                .isEqualTo("Bearer " + ClusterCredentialsTest.TOKEN);
    }

    @Test
    void aClientCertificateKubeconfigLoadsItsKeyAndConnects() throws InterruptedException {
        var kubeconfig = new Kubeconfig(
                ClusterCredentialsTest.clientCertKubeconfig(server.url("/"), "insecure-skip-tls-verify: true"));

        Config config = ClusterCredentials.toClientConfig(null, kubeconfig, TIMEOUT, TIMEOUT);

        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            assertThat(client.namespaces().list().getItems()).hasSize(1);
        }
        assertThat(server.getLastRequest().getHeader("Authorization")).isNull();
    }

    @Test
    void aCaBundleThatDidNotSignTheServerCertificateIsNotTrusted() {
        Config config = ClusterCredentials.toClientConfig(
                server.url("/"),
                new BearerToken(ClusterCredentialsTest.TOKEN, TestPki.CA_PEM, false),
                TIMEOUT,
                TIMEOUT);

        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            assertThatThrownBy(() -> client.namespaces().list())
                    .isInstanceOf(KubernetesClientException.class)
                    // The server certificate does not chain to the bundle: refused, not trusted anyway.
                    .hasRootCauseInstanceOf(CertPathBuilderException.class);
        }
    }
}
