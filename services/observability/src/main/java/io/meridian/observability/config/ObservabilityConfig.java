package io.meridian.observability.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Observability's settings ({@code meridian.observability.*}). */
@ConfigMapping(prefix = "meridian.observability")
public interface ObservabilityConfig {

    Scrape scrape();

    Series series();

    Alerts alerts();

    Audit audit();

    Notifications notifications();

    /** Scraping of the clusters' metrics endpoints. */
    interface Scrape {
        /** How often each owned cluster is scraped. */
        @WithDefault("15s")
        Duration interval();

        /** Longest time one scrape may take; a slower endpoint counts as failed. */
        @WithDefault("5s")
        Duration timeout();

        /** Scrapes in flight at once; a slow endpoint holds one slot, never the others. */
        @WithDefault("8")
        int concurrency();

        /** Largest exposition accepted, in bytes; reading stops there and the scrape fails. */
        @WithDefault("33554432")
        int maxBytes();

        /** Longest exposition line read; a longer one is skipped (and counted) without being decoded. */
        @WithDefault("65536")
        int maxLineBytes();

        /** Longest metric name, label name, label value or number; a longer one skips its line. */
        @WithDefault("16384")
        int maxTokenBytes();

        /** Samples kept from one scrape; the lines past it are skipped and counted. */
        @WithDefault("100000")
        int maxSeries();

        /** Labels of one sample; a sample with more is skipped. */
        @WithDefault("64")
        int maxLabels();

        /**
         * Estimated heap the samples of one scrape may hold while parsing; past it lines are skipped, so that no
         * body under {@code max-bytes} can exhaust the heap whatever its shape (many tiny labels included).
         */
        @WithDefault("67108864")
        long maxParsedBytes();

        /** Longest text kept per skipped line in the scrape status and logs. */
        @WithDefault("200")
        int maxErrorChars();

        /**
         * Host globs ({@code *.eks.amazonaws.com}) and CIDRs ({@code 10.20.0.0/16}) that metrics endpoints may be
         * on, checked with DNS before every scrape, e.g.
         * {@code MERIDIAN_OBSERVABILITY_SCRAPE_ALLOWED_ENDPOINTS=*.internal.example.com,10.0.0.0/8}. Unset: any host,
         * with a warning at startup, since whoever registers a cluster chooses where the scraper connects.
         */
        Optional<List<String>> allowedEndpoints();
    }

    /** The in-memory series store. */
    interface Series {
        /** Most series kept; new series beyond are dropped and counted. */
        @WithDefault("200000")
        int maxSeries();

        /** How far back points are kept per series; must cover the crash-loop window. */
        @WithDefault("20m")
        Duration window();

        /** A series whose newest sample is older than this no longer counts. */
        @WithDefault("5m")
        Duration staleness();
    }

    /** Alert evaluation and the built-in rules' tunables. */
    interface Alerts {
        /** How often the rules are evaluated. */
        @WithDefault("10s")
        Duration evaluationInterval();

        /**
         * No evaluation before this long after start: the series store refills from the next scrapes, and
         * judging without them would resolve metric-based alerts only to fire them again.
         */
        @WithDefault("45s")
        Duration startupGrace();

        /** How long resolved alerts stay listed. */
        @WithDefault("P7D")
        Duration resolvedRetention();

        @WithDefault("0s")
        Duration clusterUnreachableFor();

        @WithDefault("1m")
        Duration nodeNotReadyFor();

        @WithDefault("0.85")
        double highCpuThreshold();

        @WithDefault("5m")
        Duration highCpuFor();

        @WithDefault("0.9")
        double highMemoryThreshold();

        @WithDefault("5m")
        Duration highMemoryFor();

        /** Restarts within the crash-loop window that make a container crash-looping. */
        @WithDefault("1")
        double crashLoopRestarts();

        @WithDefault("15m")
        Duration crashLoopWindow();

        @WithDefault("0s")
        Duration crashLoopFor();

        /** Open violations on one cluster above which PolicyViolations fires. */
        @WithDefault("10")
        double policyViolationsThreshold();

        @WithDefault("1m")
        Duration syncFailedFor();

        /** How long a budget threshold event stands without a newer one. */
        @WithDefault("24h")
        Duration budgetEventTtl();
    }

    /** The audit index. */
    interface Audit {
        /** Records older than this are purged. */
        @WithDefault("P365D")
        Duration retention();

        /** How often records past the retention are purged. */
        @WithDefault("1h")
        Duration purgeInterval();
    }

    /** Notifications to people: planning, delivery, retries. */
    interface Notifications {
        /** How often the planner turns announced alerts into due notifications. */
        @WithDefault("1s")
        Duration planInterval();

        /** How often due notifications are taken for delivery. */
        @WithDefault("1s")
        Duration dispatchInterval();

        /** Longest time one delivery may take, connect to answer; a slower endpoint counts as failed. */
        @WithDefault("10s")
        Duration timeout();

        /** Receivers delivered to at once; each receiver runs alone, so a slow one holds one slot only. */
        @WithDefault("16")
        int concurrency();

        /** Notifications one receiver takes per dispatch, oldest first: a long queue cannot starve the others. */
        @WithDefault("20")
        int perReceiverBatch();

        /** Wait after a receiver's first failure in a row; doubled per further failure. */
        @WithDefault("5s")
        Duration backoffInitial();

        /** Longest wait between two attempts of a failing receiver. */
        @WithDefault("5m")
        Duration backoffMax();

        /** Attempts after which a notification that keeps failing is given up as failed. */
        @WithDefault("20")
        int maxAttempts();

        /** How long a resolved alert is kept for the planner after it ended. */
        @WithDefault("24h")
        Duration resolvedRetention();

        /** The URL notifications link back to (Alertmanager's {@code externalURL}). */
        @WithDefault("http://localhost:8085")
        String externalUrl();

        /**
         * Host globs and CIDRs that receiver endpoints (URLs and SMTP smarthosts) may be on, as for scrapes, e.g.
         * {@code MERIDIAN_OBSERVABILITY_NOTIFICATIONS_ALLOWED_ENDPOINTS=hooks.slack.com,events.pagerduty.com,*.example.com}.
         * Unset: any host but reserved addresses.
         */
        Optional<List<String>> allowedEndpoints();
    }
}
