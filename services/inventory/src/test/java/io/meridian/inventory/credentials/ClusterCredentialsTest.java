package io.meridian.inventory.credentials;

import static io.meridian.inventory.credentials.TestPki.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.meridian.inventory.credentials.ClusterCredentials.BearerToken;
import io.meridian.inventory.credentials.ClusterCredentials.Kubeconfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterCredentialsTest {

    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2VuLXBheWxvYWQ.c2lnbmF0dXJl";
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration REQUEST = Duration.ofSeconds(30);

    static String tokenKubeconfig(String server) {
        return """
                apiVersion: v1
                kind: Config
                current-context: prod-eu
                clusters:
                - name: prod-eu
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                contexts:
                - name: prod-eu
                  context:
                    cluster: prod-eu
                    user: meridian
                    namespace: kube-system
                users:
                - name: meridian
                  user:
                    token: %s
                """.formatted(server, b64(TestPki.CA_PEM), TOKEN);
    }

    static String clientCertKubeconfig(String server, String extraClusterFields) {
        // No current-context: the only context is used.
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: capi
                  cluster:
                    server: %s
                %s
                contexts:
                - name: capi-admin@capi
                  context:
                    cluster: capi
                    user: capi-admin
                users:
                - name: capi-admin
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                """.formatted(
                        server,
                        extraClusterFields.indent(4).stripTrailing(),
                        b64(TestPki.CLIENT_CERT_PEM),
                        b64(TestPki.CLIENT_KEY_PEM));
    }

    @Test
    void aTokenKubeconfigIsValid() {
        assertThat(ClusterCredentials.validate(new Kubeconfig(tokenKubeconfig("https://api.prod-eu.example:6443"))))
                .isEmpty();
    }

    @Test
    void aClientCertificateKubeconfigWithASingleContextIsValid() {
        var kubeconfig = new Kubeconfig(
                clientCertKubeconfig("https://10.0.0.1:6443", "certificate-authority-data: " + b64(TestPki.CA_PEM)));

        assertThat(ClusterCredentials.validate(kubeconfig)).isEmpty();
        assertThat(ClusterCredentials.serverUrlOf(kubeconfig)).isEqualTo("https://10.0.0.1:6443");
    }

    @Test
    void aKubeconfigWithoutServerIsRejected() {
        String yaml = tokenKubeconfig("https://x").replace("    server: https://x\n", "");

        assertThat(ClusterCredentials.validate(new Kubeconfig(yaml)))
                .containsExactly(new FieldProblem("kubeconfig", "cluster 'prod-eu': server URL is missing"));
        assertThatThrownBy(() -> ClusterCredentials.serverUrlOf(new Kubeconfig(yaml)))
                .isInstanceOf(InvalidCredentialsException.class)
                .hasMessageContaining("server URL is missing");
    }

    @Test
    void aServerThatIsNotHttpIsRejected() {
        assertThat(ClusterCredentials.validate(new Kubeconfig(tokenKubeconfig("ftp://api.example"))))
                .extracting(FieldProblem::message)
                .containsExactly("cluster 'prod-eu': server URL must start with https:// or http://");
    }

    @Test
    void execCredentialPluginsAreRejected() {
        String yaml = """
                apiVersion: v1
                kind: Config
                current-context: eks
                clusters:
                - name: eks
                  cluster: {server: "https://ABCD.gr7.eu-west-1.eks.amazonaws.com"}
                contexts:
                - name: eks
                  context: {cluster: eks, user: eks}
                users:
                - name: eks
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1beta1
                      command: aws
                      args: [eks, get-token, --cluster-name, prod]
                """;

        assertThat(ClusterCredentials.validate(new Kubeconfig(yaml)))
                .containsExactly(new FieldProblem(
                        "kubeconfig",
                        "user 'eks': exec credential plugins are not supported; use a token or client certificate"));
        // Building a client config must not get as far as running the command.
        assertThatThrownBy(() -> ClusterCredentials.toClientConfig(null, new Kubeconfig(yaml), CONNECT, REQUEST))
                .isInstanceOf(InvalidCredentialsException.class)
                .hasMessageContaining("exec credential plugins are not supported");
    }

    @Test
    void authProvidersAndLocalFilesAreRejected() {
        String authProvider = tokenKubeconfig("https://x")
                .replace("    token: " + TOKEN, "    auth-provider: {name: gcp, config: {cmd-path: /usr/bin/gcloud}}");
        String files = tokenKubeconfig("https://x")
                .replace(
                        "    token: " + TOKEN,
                        "    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n"
                                + "    client-certificate: /etc/ssl/meridian.crt\n"
                                + "    client-key: /etc/ssl/meridian.key");

        assertThat(ClusterCredentials.validate(new Kubeconfig(authProvider)))
                .extracting(FieldProblem::message)
                .containsExactly("user 'meridian': auth-provider plugins are not supported; use a token or client "
                        + "certificate");
        assertThat(ClusterCredentials.validate(new Kubeconfig(files)))
                .extracting(FieldProblem::message)
                .containsExactly("user 'meridian': refers to local files (tokenFile, client-certificate, client-key);"
                        + " inline them as token, client-certificate-data and client-key-data");
    }

    @Test
    void aCertificateAuthorityFileIsRejected() {
        var kubeconfig =
                new Kubeconfig(clientCertKubeconfig("https://10.0.0.1:6443", "certificate-authority: /etc/ca.crt"));

        assertThat(ClusterCredentials.validate(kubeconfig))
                .extracting(FieldProblem::message)
                .containsExactly("cluster 'capi' refers to a local file (certificate-authority); inline it as "
                        + "certificate-authority-data");
    }

    @Test
    void aUserWithoutCredentialsOrWithHalfACertificateIsRejected() {
        String none = tokenKubeconfig("https://x").replace("    token: " + TOKEN, "    username: admin");
        String certOnly = clientCertKubeconfig("https://x", "").replaceAll("(?m)^    client-key-data: .*\n", "");

        assertThat(ClusterCredentials.validate(new Kubeconfig(none)))
                .extracting(FieldProblem::message)
                .containsExactly("user 'meridian': basic authentication is not supported; use a token or client "
                        + "certificate");
        assertThat(ClusterCredentials.validate(new Kubeconfig(certOnly)))
                .extracting(FieldProblem::message)
                .containsExactly("user 'capi-admin': client-certificate-data needs client-key-data");
    }

    @Test
    void aKeyThatIsNotAPrivateKeyIsRejected() {
        String yaml = clientCertKubeconfig("https://x", "")
                .replace(b64(TestPki.CLIENT_KEY_PEM), b64(TestPki.CLIENT_CERT_PEM));

        assertThat(ClusterCredentials.validate(new Kubeconfig(yaml)))
                .extracting(FieldProblem::message)
                .containsExactly("user 'capi-admin': client-key-data is not an unencrypted PEM private key "
                        + "(PKCS#1, SEC1 or PKCS#8)");
    }

    @Test
    void garbageYamlIsRejectedWithoutEchoingIt() {
        List<FieldProblem> problems =
                ClusterCredentials.validate(new Kubeconfig("users: [ {name: x, user: {token: " + TOKEN + "\n:::"));

        assertThat(problems).containsExactly(new FieldProblem("kubeconfig", "kubeconfig is not valid YAML"));
        assertThat(ClusterCredentials.validate(new Kubeconfig("just some text")))
                .extracting(FieldProblem::message)
                .singleElement()
                .asString()
                .startsWith("kubeconfig is not");
    }

    @Test
    void twoContextsWithoutCurrentContextIsAmbiguous() {
        String yaml = tokenKubeconfig("https://x")
                .replace("current-context: prod-eu\n", "")
                .replace(
                        "contexts:\n",
                        "contexts:\n- name: other\n  context:\n    cluster: prod-eu\n    user: meridian\n");

        assertThat(ClusterCredentials.validate(new Kubeconfig(yaml)))
                .containsExactly(new FieldProblem(
                        "kubeconfig",
                        "kubeconfig has 2 contexts and no current-context; set current-context to the one to use"));
    }

    @Test
    void aCurrentContextThatDoesNotExistIsRejected() {
        String yaml = tokenKubeconfig("https://x").replace("current-context: prod-eu", "current-context: staging");

        assertThat(ClusterCredentials.validate(new Kubeconfig(yaml)))
                .extracting(FieldProblem::message)
                .containsExactly("current-context 'staging' is not one of the contexts");
    }

    @Test
    void anOversizedKubeconfigIsRejectedBeforeParsing() {
        String yaml = tokenKubeconfig("https://x") + "#" + "x".repeat(64 * 1024);

        assertThat(ClusterCredentials.validate(new Kubeconfig(yaml)))
                .extracting(FieldProblem::message)
                .singleElement()
                .asString()
                .endsWith("at most 64 KiB are accepted");
    }

    @Test
    void bearerTokenRules() {
        assertThat(ClusterCredentials.validate(new BearerToken(TOKEN, null, false)))
                .isEmpty();
        assertThat(ClusterCredentials.validate(new BearerToken(TOKEN, TestPki.CA_PEM, false)))
                .isEmpty();
        assertThat(ClusterCredentials.validate(new BearerToken(" ", null, false)))
                .containsExactly(new FieldProblem("token", "token must not be blank"));
        assertThat(ClusterCredentials.validate(new BearerToken("abc def", null, false)))
                .containsExactly(new FieldProblem(
                        "token", "token must be printable ASCII without whitespace (invalid character at position 3)"));
        assertThat(ClusterCredentials.validate(new BearerToken("Bearer " + TOKEN, null, false)))
                .extracting(FieldProblem::message)
                .containsExactly("token must be the token alone, without the 'Bearer ' prefix");
        assertThat(ClusterCredentials.validate(new BearerToken("a".repeat(16 * 1024 + 1), null, false)))
                .extracting(FieldProblem::message)
                .containsExactly("token is longer than 16 KiB");
        assertThat(ClusterCredentials.validate(new BearerToken("a".repeat(16 * 1024), null, false)))
                .isEmpty();
    }

    @Test
    void aCaBundleMustBePemCertificates() {
        String corrupted = TestPki.CA_PEM.replace("MII", "MXX");

        assertThat(ClusterCredentials.validate(new BearerToken(TOKEN, "not a certificate", false)))
                .containsExactly(new FieldProblem(
                        "caBundlePem", "CA bundle must be PEM: one or more '-----BEGIN CERTIFICATE-----' blocks"));
        assertThat(ClusterCredentials.validate(new BearerToken(TOKEN, corrupted, false)))
                .containsExactly(new FieldProblem("caBundlePem", "CA bundle is not a valid PEM X.509 certificate"));
        assertThat(ClusterCredentials.validate(new BearerToken(TOKEN, TestPki.CA_PEM, true)))
                .containsExactly(new FieldProblem(
                        "insecureSkipTlsVerify", "set either caBundlePem or insecureSkipTlsVerify, not both"));
    }

    @Test
    void tokenClientConfigCarriesUrlTokenCaAndNoRetries() {
        Config config = ClusterCredentials.toClientConfig(
                "https://api.prod-eu.example:6443", new BearerToken(TOKEN, TestPki.CA_PEM, false), CONNECT, REQUEST);

        assertThat(config.getMasterUrl()).startsWith("https://api.prod-eu.example:6443");
        assertThat(config.getOauthToken()).isEqualTo(TOKEN);
        assertThat(config.getCaCertData()).isEqualTo(b64(TestPki.CA_PEM));
        assertThat(config.isTrustCerts()).isFalse();
        assertThat(config.getRequestRetryBackoffLimit()).isZero();
        assertThat(config.getConnectionTimeout()).isEqualTo(5_000);
        assertThat(config.getRequestTimeout()).isEqualTo(30_000);
        assertThat(config.getClientCertData()).isNull();
    }

    @Test
    void tokenClientConfigNeedsAnApiServerUrl() {
        assertThatThrownBy(() ->
                        ClusterCredentials.toClientConfig(null, new BearerToken(TOKEN, null, true), CONNECT, REQUEST))
                .isInstanceOfSatisfying(
                        InvalidCredentialsException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(new FieldProblem(
                                        "apiServerUrl", "an API server URL is required with a bearer token")));
    }

    @Test
    void kubeconfigClientConfigUsesItsServerUnlessOverridden() {
        var kubeconfig = new Kubeconfig(tokenKubeconfig("https://api.prod-eu.example:6443"));

        Config own = ClusterCredentials.toClientConfig(null, kubeconfig, CONNECT, REQUEST);
        Config overridden = ClusterCredentials.toClientConfig("https://10.1.2.3:443", kubeconfig, CONNECT, REQUEST);

        assertThat(own.getMasterUrl()).startsWith("https://api.prod-eu.example:6443");
        assertThat(own.getOauthToken()).isEqualTo(TOKEN);
        assertThat(own.getCaCertData()).isEqualTo(b64(TestPki.CA_PEM));
        assertThat(own.getNamespace()).isEqualTo("kube-system");
        assertThat(own.getRequestRetryBackoffLimit()).isZero();
        assertThat(overridden.getMasterUrl()).startsWith("https://10.1.2.3:443");
        assertThat(overridden.getOauthToken()).isEqualTo(TOKEN);
    }

    @Test
    void clientCertificateKubeconfigCarriesCertificateAndKey() {
        var kubeconfig =
                new Kubeconfig(clientCertKubeconfig("https://10.0.0.1:6443", "insecure-skip-tls-verify: true"));

        Config config = ClusterCredentials.toClientConfig(null, kubeconfig, CONNECT, REQUEST);

        assertThat(config.getClientCertData()).isEqualTo(b64(TestPki.CLIENT_CERT_PEM));
        assertThat(config.getClientKeyData()).isEqualTo(b64(TestPki.CLIENT_KEY_PEM));
        assertThat(config.getClientKeyAlgo()).isEqualTo("EC");
        assertThat(config.isTrustCerts()).isTrue();
        assertThat(config.getOauthToken()).isNull();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        String kubeconfigYaml = tokenKubeconfig("https://x");

        assertThat(new BearerToken(TOKEN, TestPki.CA_PEM, false).toString())
                .doesNotContain(TOKEN)
                .isEqualTo("BearerToken[token=<redacted>, caBundlePem=present, insecureSkipTlsVerify=false]");
        assertThat(new Kubeconfig(kubeconfigYaml).toString())
                .doesNotContain(TOKEN)
                .doesNotContain("prod-eu");
        assertThat(ClusterCredentials.validate(new BearerToken(TOKEN + " x", null, false))
                        .toString())
                .doesNotContain(TOKEN);
    }
}
