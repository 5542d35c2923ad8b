package io.meridian.inventory.credentials;

import io.fabric8.kubernetes.client.Config;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How Meridian authenticates to one cluster's API server: a whole kubeconfig, or a bearer token. */
public sealed interface ClusterCredentials {

    /** Largest kubeconfig accepted, in UTF-8 bytes. */
    int MAX_KUBECONFIG_BYTES = 64 * 1024;
    /** Largest bearer token accepted, in bytes. */
    int MAX_TOKEN_BYTES = 16 * 1024;
    /** Largest CA bundle accepted, in bytes. */
    int MAX_CA_BUNDLE_BYTES = 64 * 1024;

    /**
     * A kubeconfig with inline credentials: a token or a client certificate and key. Exec and auth-provider plugins
     * and references to local files are refused, since they would run commands or read files on Meridian's hosts.
     */
    record Kubeconfig(String yaml) implements ClusterCredentials {
        public Kubeconfig {
            Objects.requireNonNull(yaml, "yaml");
        }

        @Override
        public String toString() {
            return "Kubeconfig[<redacted " + yaml.length() + " chars>]";
        }
    }

    /** A bearer token (for example a service-account token), with the CA bundle to trust, or none. */
    record BearerToken(String token, String caBundlePem, boolean insecureSkipTlsVerify) implements ClusterCredentials {
        public BearerToken {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "BearerToken[token=<redacted>, caBundlePem=" + (caBundlePem == null ? "none" : "present")
                    + ", insecureSkipTlsVerify=" + insecureSkipTlsVerify + "]";
        }
    }

    /** Every problem that would stop these credentials from working; empty when they are usable. */
    static List<FieldProblem> validate(ClusterCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        return switch (credentials) {
            case Kubeconfig kubeconfig ->
                KubeconfigInspection.inspect(kubeconfig.yaml()).problems();
            case BearerToken token -> CredentialChecks.bearerToken(token);
        };
    }

    /** The API server URL of the kubeconfig's current (or only) context. */
    static String serverUrlOf(Kubeconfig kubeconfig) {
        return KubeconfigInspection.serverUrlOf(kubeconfig.yaml());
    }

    /** The proxy URL ({@code proxy-url}) of the kubeconfig's current (or only) context's cluster, if it names one. */
    static Optional<String> proxyUrlOf(Kubeconfig kubeconfig) {
        var cluster = KubeconfigInspection.inspect(kubeconfig.yaml()).cluster();
        return cluster == null
                        || cluster.getProxyUrl() == null
                        || cluster.getProxyUrl().isBlank()
                ? Optional.empty()
                : Optional.of(cluster.getProxyUrl());
    }

    /**
     * A fabric8 client configuration for these credentials. Built field by field, never auto-configured, so neither
     * the host's {@code ~/.kube/config}, its service account, nor {@code KUBERNETES_*} variables leak in. Requests
     * are not retried: the reconcilers decide when to try again, and informers re-establish their own watches.
     *
     * @param apiServerUrl the API server to use; when null, the kubeconfig's server (required for a bearer token)
     * @throws InvalidCredentialsException when {@link #validate} finds problems
     */
    static Config toClientConfig(
            String apiServerUrl, ClusterCredentials credentials, Duration connectTimeout, Duration requestTimeout) {
        return ClientConfigs.build(apiServerUrl, credentials, connectTimeout, requestTimeout);
    }
}
