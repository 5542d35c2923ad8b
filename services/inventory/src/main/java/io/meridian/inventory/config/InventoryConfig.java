package io.meridian.inventory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Inventory's settings ({@code meridian.inventory.*}). */
@ConfigMapping(prefix = "meridian.inventory")
public interface InventoryConfig {

    Credentials credentials();

    Connections connections();

    ClusterApi capi();

    ClusterEndpoints clusterEndpoints();

    Observe observe();

    /** Encryption of cluster credentials at rest. */
    interface Credentials {
        /** Id of the key new credentials are encrypted with; older keys stay listed for decryption. */
        String activeKeyId();

        /**
         * Base64 AES-256 keys by id, e.g. {@code MERIDIAN_INVENTORY_CREDENTIALS_KEYS_K2026}. Never commit a
         * production key; the dev and test profiles carry throwaway ones.
         */
        Map<String, String> keys();

        Rotation rotation();

        /**
         * Re-encryption of stored credentials under the active key, after it changed: in batches, each one
         * transaction that locks its rows ({@code FOR UPDATE SKIP LOCKED}), so replicas share the work.
         */
        interface Rotation {
            /** How often stored credentials are checked for keys other than the active one. */
            @WithDefault("60s")
            Duration interval();

            /** Credentials re-encrypted per transaction. */
            @WithDefault("100")
            int batchSize();
        }
    }

    /**
     * Where cluster API servers (and the metrics endpoints observability scrapes) may be: checked at registration
     * and on every change, and again, with DNS, before connecting.
     */
    interface ClusterEndpoints {
        /**
         * Host globs ({@code *.eks.amazonaws.com}) and CIDRs ({@code 10.20.0.0/16}), e.g.
         * {@code MERIDIAN_INVENTORY_CLUSTER_ENDPOINTS_ALLOWED=*.eks.amazonaws.com,10.0.0.0/8}. Unset: any host, with a
         * warning at startup, since whoever may register a cluster then makes inventory connect wherever they like.
         */
        Optional<List<String>> allowed();
    }

    /** What inventory publishes of the objects it observes. */
    interface Observe {
        EnvValues envValues();

        /** Literal values of containers' environment variables, which often hold secrets. */
        interface EnvValues {
            /**
             * Namespaces whose literal {@code env[].value}s are published as they are; everywhere else each one is
             * replaced by a redaction marker (names and {@code valueFrom} references are always kept).
             */
            Optional<List<String>> revealNamespaces();
        }
    }

    /** Cluster API import from management clusters ({@code meridian.io/capi-management=true}). */
    interface ClusterApi {
        /**
         * The namespaces of a management cluster whose {@code Cluster} objects (and {@code <name>-kubeconfig}
         * secrets) are imported, e.g. {@code MERIDIAN_INVENTORY_CAPI_NAMESPACES=capi-prod,capi-staging}; only these
         * are read. Unset: every namespace, with a warning at startup, since whoever may create a Cluster and a
         * secret in any namespace of a management cluster then registers clusters in the fleet.
         */
        Optional<List<String>> namespaces();
    }

    /** How inventory talks to clusters. */
    interface Connections {
        /** How often a cluster's API server is probed. */
        @WithDefault("5s")
        Duration probeInterval();

        /** Longest time one probe may take. */
        @WithDefault("3s")
        Duration probeTimeout();

        /** Consecutive failed probes after which a cluster is Unreachable (2 x 5 s + 3 s stays under 15 s). */
        @WithDefault("2")
        int failuresBeforeUnreachable();

        /**
         * How often an unreachable cluster is probed (a {@code GET /version} within the probe timeout): a cluster that
         * comes back is reconnected within about this long, however long it was away.
         */
        @WithDefault("3s")
        Duration reconnectProbeInterval();

        /**
         * Cap of the exponential back-off before the full relist of a cluster whose connections keep ending soon (less
         * than this) after they were made, i.e. that flaps; probes are never backed off. A connection that lasted
         * longer resets it.
         */
        @WithDefault("60s")
        Duration maxReconnectBackoff();

        /** Time allowed to connect to an API server. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time allowed for one API request, e.g. the initial list of a large kind. */
        @WithDefault("60s")
        Duration requestTimeout();

        /** How long a Degraded cluster (some kinds could not be listed) waits before a full reconnect. */
        @WithDefault("60s")
        Duration degradedRetry();

        /**
         * How long a listed kind's watch may stay closed while its cluster answers probes before the cluster is
         * relisted. Longer than a watch is legitimately closed: the relist after an expired watch (bounded by the
         * request timeout, 60 s) plus fabric8's longest wait between two tries to reopen it (32 s).
         */
        @WithDefault("95s")
        Duration watchStallTolerance();

        /** Kinds watched besides the built-in ones: {@code group/version/Kind/plural[/cluster]}. */
        Optional<List<String>> extraKinds();
    }
}
