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

    /** Encryption of cluster credentials at rest. */
    interface Credentials {
        /** Id of the key new credentials are encrypted with; older keys stay listed for decryption. */
        String activeKeyId();

        /**
         * Base64 AES-256 keys by id, e.g. {@code MERIDIAN_INVENTORY_CREDENTIALS_KEYS_K2026}. Never commit a
         * production key; the dev and test profiles carry throwaway ones.
         */
        Map<String, String> keys();
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

        /** Cap of the exponential back-off between reconnect attempts of an unreachable cluster. */
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

        /** Kinds watched besides the built-in ones: {@code group/version/Kind/plural[/cluster]}. */
        Optional<List<String>> extraKinds();
    }
}
