package io.meridian.inventory.credentials;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A kubeconfig parsed and resolved to the one context Meridian will use, with every reason it cannot be used.
 *
 * @param contextName the context used, null when it could not be resolved
 * @param cluster that context's cluster, null when unresolved
 * @param user that context's user, null when unresolved
 * @param namespace that context's namespace, may be null
 */
record KubeconfigInspection(
        String contextName, Cluster cluster, AuthInfo user, String namespace, List<FieldProblem> problems) {

    static final String FIELD = "kubeconfig";
    static final String EXEC_REFUSED = "exec credential plugins are not supported; use a token or client certificate";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    static KubeconfigInspection inspect(String yaml) {
        var problems = new ArrayList<FieldProblem>();
        if (yaml == null || yaml.isBlank()) {
            return failed(problems, "kubeconfig is empty");
        }
        int bytes = yaml.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ClusterCredentials.MAX_KUBECONFIG_BYTES) {
            return failed(
                    problems,
                    "kubeconfig is " + bytes + " bytes; at most " + ClusterCredentials.MAX_KUBECONFIG_BYTES / 1024
                            + " KiB are accepted");
        }
        Config config;
        try {
            config = SERIALIZATION.unmarshal(yaml, Config.class);
        } catch (RuntimeException e) {
            // The parser's message may quote the document, tokens included: keep it out.
            return failed(problems, "kubeconfig is not valid YAML");
        }
        if (config == null || (config.getContexts() == null && config.getClusters() == null)) {
            return failed(problems, "kubeconfig is not a kubeconfig: it has neither contexts nor clusters");
        }

        List<NamedContext> contexts = nonNulls(config.getContexts());
        NamedContext context;
        String current = config.getCurrentContext();
        if (current != null && !current.isBlank()) {
            context = contexts.stream()
                    .filter(c -> current.equals(c.getName()))
                    .findFirst()
                    .orElse(null);
            if (context == null) {
                return failed(problems, "current-context '" + current + "' is not one of the contexts");
            }
        } else if (contexts.size() == 1) {
            context = contexts.get(0);
        } else if (contexts.isEmpty()) {
            return failed(problems, "kubeconfig has no contexts");
        } else {
            return failed(
                    problems,
                    "kubeconfig has " + contexts.size()
                            + " contexts and no current-context; set current-context to the one to use");
        }
        String contextName = context.getName();
        if (context.getContext() == null) {
            return failed(problems, "context '" + contextName + "' is empty");
        }

        Cluster cluster = null;
        String clusterName = context.getContext().getCluster();
        if (clusterName == null || clusterName.isBlank()) {
            problems.add(problem("context '" + contextName + "' names no cluster"));
        } else {
            cluster = nonNulls(config.getClusters()).stream()
                    .filter(c -> clusterName.equals(c.getName()))
                    .map(NamedCluster::getCluster)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            if (cluster == null) {
                problems.add(problem(
                        "context '" + contextName + "' refers to cluster '" + clusterName + "', which is not defined"));
            } else {
                checkCluster(clusterName, cluster, problems);
            }
        }

        AuthInfo user = null;
        String userName = context.getContext().getUser();
        if (userName == null || userName.isBlank()) {
            problems.add(problem("context '" + contextName + "' names no user"));
        } else {
            user = nonNulls(config.getUsers()).stream()
                    .filter(u -> userName.equals(u.getName()))
                    .map(NamedAuthInfo::getUser)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            if (user == null) {
                problems.add(problem(
                        "context '" + contextName + "' refers to user '" + userName + "', which is not defined"));
            } else {
                checkUser(userName, user, problems);
            }
        }
        return new KubeconfigInspection(
                contextName, cluster, user, context.getContext().getNamespace(), List.copyOf(problems));
    }

    static String serverUrlOf(String yaml) {
        var inspection = inspect(yaml);
        if (inspection.cluster() == null || inspection.cluster().getServer() == null) {
            throw new InvalidCredentialsException(
                    inspection.problems().isEmpty()
                            ? List.of(problem("kubeconfig has no server URL"))
                            : inspection.problems());
        }
        return inspection.cluster().getServer();
    }

    private static void checkCluster(String name, Cluster cluster, List<FieldProblem> problems) {
        CredentialChecks.serverUrlProblem(cluster.getServer())
                .ifPresent(m -> problems.add(problem("cluster '" + name + "': " + m)));
        if (cluster.getCertificateAuthority() != null) {
            problems.add(problem("cluster '" + name
                    + "' refers to a local file (certificate-authority); inline it as certificate-authority-data"));
        }
        if (cluster.getCertificateAuthorityData() != null) {
            decodeBase64(cluster.getCertificateAuthorityData())
                    .ifPresentOrElse(
                            pem -> CredentialChecks.certificateProblem(
                                            pem, "cluster '" + name + "' certificate-authority-data")
                                    .ifPresent(m -> problems.add(problem(m))),
                            () -> problems.add(
                                    problem("cluster '" + name + "' certificate-authority-data is not valid base64")));
        }
    }

    private static void checkUser(String name, AuthInfo user, List<FieldProblem> problems) {
        String prefix = "user '" + name + "': ";
        if (user.getExec() != null) {
            problems.add(problem(prefix + EXEC_REFUSED));
            return;
        }
        if (user.getAuthProvider() != null) {
            problems.add(
                    problem(prefix + "auth-provider plugins are not supported; use a token or client certificate"));
            return;
        }
        var files = new ArrayList<String>();
        if (user.getTokenFile() != null) files.add("tokenFile");
        if (user.getClientCertificate() != null) files.add("client-certificate");
        if (user.getClientKey() != null) files.add("client-key");
        if (!files.isEmpty()) {
            problems.add(problem(prefix + "refers to local files (" + String.join(", ", files)
                    + "); inline them as token, client-certificate-data and client-key-data"));
            return;
        }
        if (user.getAs() != null
                || (user.getAsGroups() != null && !user.getAsGroups().isEmpty())
                || user.getAsUid() != null) {
            problems.add(problem(prefix + "impersonation (as, as-groups, as-uid) is not supported"));
        }
        boolean hasToken = user.getToken() != null;
        boolean hasCert = user.getClientCertificateData() != null;
        boolean hasKey = user.getClientKeyData() != null;
        if (hasToken) {
            CredentialChecks.tokenProblem(user.getToken()).ifPresent(m -> problems.add(problem(prefix + m)));
        }
        if (hasCert != hasKey) {
            problems.add(problem(prefix
                    + (hasCert
                            ? "client-certificate-data needs client-key-data"
                            : "client-key-data needs client-certificate-data")));
        } else if (hasCert) {
            decodeBase64(user.getClientCertificateData())
                    .ifPresentOrElse(
                            pem -> CredentialChecks.certificateProblem(pem, prefix + "client-certificate-data")
                                    .ifPresent(m -> problems.add(problem(m))),
                            () -> problems.add(problem(prefix + "client-certificate-data is not valid base64")));
            if (clientKeyAlgorithm(user).isEmpty()) {
                problems.add(problem(
                        prefix + "client-key-data is not an unencrypted PEM private key (PKCS#1, SEC1 or PKCS#8)"));
            }
        }
        if (!hasToken && !hasCert && !hasKey) {
            problems.add(problem(prefix
                    + (user.getUsername() != null || user.getPassword() != null
                            ? "basic authentication is not supported; use a token or client certificate"
                            : "no credentials; set token, or client-certificate-data and client-key-data")));
        }
    }

    /** The algorithm of the user's client-key-data; empty when it is absent or not a usable key. */
    static Optional<String> clientKeyAlgorithm(AuthInfo user) {
        return user.getClientKeyData() == null
                ? Optional.empty()
                : decodeBase64(user.getClientKeyData()).flatMap(CredentialChecks::privateKeyAlgorithm);
    }

    private static Optional<byte[]> decodeBase64(String value) {
        try {
            return Optional.of(
                    Base64.getDecoder().decode(WHITESPACE.matcher(value).replaceAll("")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static <T> List<T> nonNulls(List<T> list) {
        return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
    }

    private static FieldProblem problem(String message) {
        return new FieldProblem(FIELD, message);
    }

    private static KubeconfigInspection failed(List<FieldProblem> problems, String message) {
        problems.add(problem(message));
        return new KubeconfigInspection(null, null, null, null, List.copyOf(problems));
    }

    @Override
    public String toString() {
        return "KubeconfigInspection[context=" + contextName + ", problems=" + problems + "]";
    }
}
