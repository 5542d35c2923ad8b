package io.meridian.fleetsim;

/** Kubeconfig files for simulated clusters, with a bearer token as a user would register them. */
final class Kubeconfigs {

    private Kubeconfigs() {}

    static String of(String cluster, String serverUrl) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    insecure-skip-tls-verify: true
                users:
                - name: %1$s-admin
                  user:
                    token: sim-token-%1$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s-admin
                    namespace: default
                current-context: %1$s
                """.formatted(cluster, serverUrl);
    }
}
