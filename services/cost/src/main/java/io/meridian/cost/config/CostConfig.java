package io.meridian.cost.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Settings of the cost service ({@code meridian.cost.*}). */
@ConfigMapping(prefix = "meridian.cost")
public interface CostConfig {

    /** Classpath resource of the price catalog snapshot. */
    @WithDefault("prices/catalog-2026-11.yaml")
    String catalog();

    OnPrem onprem();

    Shared shared();

    Windows windows();

    Recommendations recommendations();

    Budgets budgets();

    Rates rates();

    /** Amortized prices of owned machines. */
    interface OnPrem {
        /** Per instance type (the node's {@code node.kubernetes.io/instance-type}), USD per hour. */
        Map<String, Double> instanceHourly();

        /** For machines of an unlisted type: per core-hour. */
        @WithDefault("0.02")
        double cpuCoreHour();

        /** For machines of an unlisted type: per GiB-hour of RAM. */
        @WithDefault("0.0025")
        double ramGibHour();

        @WithDefault("0.5")
        double gpuHour();

        /** Per storage class, USD per GiB-month. */
        Map<String, Double> storageGibMonth();

        @WithDefault("0.03")
        double defaultStorageGibMonth();

        /** Transit out of the data centre, USD per GB. */
        @WithDefault("0.01")
        double egressPerGb();
    }

    /** Namespaces whose cost is spread over the other workloads of their cluster. */
    interface Shared {
        @WithDefault("kube-system,istio-system")
        List<String> namespaces();

        /** {@code even} or {@code weighted} (in proportion to each workload's own cost). */
        @WithDefault("weighted")
        String split();
    }

    /** Hourly windows. */
    interface Windows {
        /** How long after its end a window waits for late samples before it is allocated for good. */
        @WithDefault("2m")
        Duration closeGrace();

        /** How often closable windows are looked for ({@code off} disables the timer). */
        @WithDefault("30s")
        String closeEvery();

        /**
         * How long after startup before any window is closed: the replayed topics must have rebuilt the fleet first,
         * or a window would be closed for good with part of the fleet missing.
         */
        @WithDefault("2m")
        Duration startupSettle();

        /** Closed windows kept in memory for recommendations. */
        @WithDefault("48")
        int keepHours();
    }

    /** Thresholds of the recommendations. */
    interface Recommendations {
        /** Share of a right-sized CPU request the usage percentile should fill. */
        @WithDefault("0.65")
        double cpuTargetUtilization();

        @WithDefault("0.80")
        double ramTargetUtilization();

        /** Percentile of usage samples a request is sized for. */
        @WithDefault("95")
        double percentile();

        @WithDefault("10")
        long cpuFloorMillis();

        @WithDefault("64")
        long ramFloorMib();

        /** Recommendations saving less than this per month are not worth a human's time. */
        @WithDefault("1.0")
        double minMonthlySavings();

        /** Monthly egress cost across clouds above which a pair of workloads should be co-located. */
        @WithDefault("5.0")
        double chattyMonthlyEgress();

        /** A workload using less than this many cores on average is idle. */
        @WithDefault("0.005")
        double idleCpuCores();

        /** A node using less than this share of its CPU and RAM on average is underused. */
        @WithDefault("0.25")
        double underusedNodeUtilization();

        /** Label value {@code true} of this key marks a workload that may run in any cloud. */
        @WithDefault("meridian.io/portable")
        String portableLabel();
    }

    /** The clusters' rates on {@code fleet.cost.v1}. */
    interface Rates {
        /** How often every cluster's rates are compared with what was published ({@code off} disables the timer). */
        @WithDefault("30s")
        String publishEvery();

        /**
         * Rates unchanged for this long are published again: the topic deletes records after its retention, and a
         * reader must always find the latest rates of every cluster. Well under a day, so that each cluster's rates are
         * published at least once a day whatever the timer's phase.
         */
        @WithDefault("12h")
        Duration republishAfter();
    }

    /** Budget checks. */
    interface Budgets {
        /** How often budgets are checked ({@code off} disables the timer). */
        @WithDefault("30s")
        String checkEvery();
    }
}
