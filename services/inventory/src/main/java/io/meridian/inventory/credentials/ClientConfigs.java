package io.meridian.inventory.credentials;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/** Builds fabric8 client configurations from validated credentials; see {@link ClusterCredentials#toClientConfig}. */
final class ClientConfigs {

    private ClientConfigs() {}

    static Config build(
            String apiServerUrl, ClusterCredentials credentials, Duration connectTimeout, Duration requestTimeout) {
        Objects.requireNonNull(credentials, "credentials");
        int connectMillis = millis(connectTimeout, "connectTimeout");
        int requestMillis = millis(requestTimeout, "requestTimeout");
        if (apiServerUrl != null) {
            CredentialChecks.serverUrlProblem(apiServerUrl).ifPresent(m -> {
                throw new InvalidCredentialsException(List.of(new FieldProblem("apiServerUrl", m)));
            });
        }
        // Never auto-configure: the host's kubeconfig, service account or KUBERNETES_* variables must not leak
        // into a connection to someone else's cluster. (Config.fromKubeconfig applies the variables, so the
        // kubeconfig is mapped here field by field after validation has refused everything not mapped.)
        ConfigBuilder builder = new ConfigBuilder()
                .withAutoConfigure(false)
                .withConnectionTimeout(connectMillis)
                .withRequestTimeout(requestMillis)
                .withRequestRetryBackoffLimit(0);
        return switch (credentials) {
            case ClusterCredentials.BearerToken token -> bearerToken(apiServerUrl, token, builder);
            case ClusterCredentials.Kubeconfig kubeconfig -> kubeconfig(apiServerUrl, kubeconfig, builder);
        };
    }

    private static Config bearerToken(
            String apiServerUrl, ClusterCredentials.BearerToken token, ConfigBuilder builder) {
        var problems = new ArrayList<>(CredentialChecks.bearerToken(token));
        if (apiServerUrl == null) {
            problems.add(new FieldProblem("apiServerUrl", "an API server URL is required with a bearer token"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidCredentialsException(problems);
        }
        builder.withMasterUrl(apiServerUrl).withOauthToken(token.token());
        if (token.caBundlePem() != null) {
            builder.withCaCertData(
                    Base64.getEncoder().encodeToString(token.caBundlePem().getBytes(StandardCharsets.UTF_8)));
        }
        if (token.insecureSkipTlsVerify()) {
            builder.withTrustCerts(true).withDisableHostnameVerification(true);
        }
        return builder.build();
    }

    private static Config kubeconfig(
            String apiServerUrl, ClusterCredentials.Kubeconfig kubeconfig, ConfigBuilder builder) {
        var inspection = KubeconfigInspection.inspect(kubeconfig.yaml());
        if (!inspection.problems().isEmpty()) {
            throw new InvalidCredentialsException(inspection.problems());
        }
        Cluster cluster = inspection.cluster();
        AuthInfo user = inspection.user();
        builder.withMasterUrl(apiServerUrl != null ? apiServerUrl : cluster.getServer());
        if (inspection.namespace() != null) {
            builder.withNamespace(inspection.namespace());
        }
        if (cluster.getCertificateAuthorityData() != null) {
            builder.withCaCertData(cluster.getCertificateAuthorityData());
        }
        if (Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify())) {
            builder.withTrustCerts(true).withDisableHostnameVerification(true);
        }
        if (cluster.getProxyUrl() != null) {
            builder.withHttpProxy(cluster.getProxyUrl()).withHttpsProxy(cluster.getProxyUrl());
        }
        if (user.getToken() != null) {
            builder.withOauthToken(user.getToken());
        }
        if (user.getClientCertificateData() != null) {
            builder.withClientCertData(user.getClientCertificateData())
                    .withClientKeyData(user.getClientKeyData())
                    .withClientKeyAlgo(
                            KubeconfigInspection.clientKeyAlgorithm(user).orElseThrow());
        }
        return builder.build();
    }

    private static int millis(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be positive and at most " + Integer.MAX_VALUE + " ms");
        }
        return (int) timeout.toMillis();
    }
}
