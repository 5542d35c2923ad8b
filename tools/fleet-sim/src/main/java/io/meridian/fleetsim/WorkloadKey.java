package io.meridian.fleetsim;

import java.util.Locale;

/** One Deployment or StatefulSet of a cluster: what the workload controllers key their work by. */
record WorkloadKey(Kind kind, String namespace, String name) {

    /** The workload kinds the simulated kube-controller-manager runs controllers for. */
    enum Kind {
        DEPLOYMENT("Deployment"),
        STATEFULSET("StatefulSet");

        private final String kind;

        Kind(String kind) {
            this.kind = kind;
        }

        String kind() {
            return kind;
        }

        ResourceKind resource() {
            return ResourceKind.of(kind);
        }

        /** The kind of this name ({@code Deployment}, {@code statefulset}, ...), or null for any other kind. */
        static Kind of(String name) {
            for (Kind k : values()) {
                if (k.kind.equalsIgnoreCase(name)) {
                    return k;
                }
            }
            return null;
        }

        /** The kind whose collection this API path names ({@code .../deployments...}), or null. */
        static Kind ofPath(String path) {
            if (!path.startsWith("/apis/apps/v1/")) {
                return null;
            }
            if (path.contains("/deployments")) {
                return DEPLOYMENT;
            }
            return path.contains("/statefulsets") ? STATEFULSET : null;
        }
    }

    @Override
    public String toString() {
        return kind.kind().toLowerCase(Locale.ROOT) + " " + namespace + "/" + name;
    }
}
