package io.meridian.observability.reconcile;

import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.contracts.metrics.Sample;
import io.meridian.observability.config.ObservabilityConfig;
import io.meridian.observability.domain.ExpositionFormat;
import io.meridian.observability.domain.ExpositionLimits;
import io.meridian.observability.domain.ExpositionParser;
import io.meridian.observability.domain.FleetView;
import io.meridian.observability.domain.SeriesStore;
import io.meridian.observability.messaging.MetricsPublisher;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Scrapes the metrics endpoint of every cluster this replica owns, once per interval, on a bounded pool:
 * at most {@code concurrency} scrapes run at once, each bounded by the timeout, and a cluster whose
 * previous scrape is still running is skipped rather than queued, so a slow endpoint never holds up the
 * others. Each successful scrape becomes one MetricsBatch on fleet.metrics.v1.
 */
@ApplicationScoped
public class MetricsScraper {

    private static final Logger LOG = Logger.getLogger(MetricsScraper.class);

    /** Where operators list the hosts metrics endpoints may be on. */
    static final String ALLOWED_PROPERTY = "meridian.observability.scrape.allowed-endpoints";

    /**
     * The last scrape of a cluster, for the health API and logs: besides success or failure, the exposition lines
     * the last successful scrape skipped and the first problems found (capped in number and length).
     */
    public record ScrapeStatus(
            Instant lastAttempt,
            Instant lastSuccess,
            String lastError,
            int consecutiveFailures,
            int lastSamples,
            int lastSkippedLines,
            List<String> lastProblems) {
        public ScrapeStatus {
            lastProblems = lastProblems == null ? List.of() : List.copyOf(lastProblems);
        }
    }

    /** Exposition lines skipped as unreadable, per cluster ({@code meridian_observability_scrape_lines_skipped_total}). */
    static final String LINES_SKIPPED = "meridian.observability.scrape.lines.skipped";

    private final FleetView fleet;
    private final ClusterOwnership ownership;
    private final MetricsPublisher publisher;
    private final SeriesStore store;
    private final ObservabilityConfig config;
    private final Clock clock;
    private final ExpositionFetcher fetcher;
    private final ExpositionLimits limits;
    private final MeterRegistry registry;
    private final EndpointAllowList allowList;
    private final ExecutorService pool;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, ScrapeStatus> status = new ConcurrentHashMap<>();
    private final Timer duration;
    private final Counter failures;
    private final Counter samples;
    private final Counter skipped;

    MetricsScraper(
            FleetView fleet,
            ClusterOwnership ownership,
            MetricsPublisher publisher,
            SeriesStore store,
            ObservabilityConfig config,
            Clock clock,
            MeterRegistry registry,
            Vertx vertx) {
        this.fleet = fleet;
        this.ownership = ownership;
        this.publisher = publisher;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        var scrape = config.scrape();
        this.limits = new ExpositionLimits(
                scrape.maxLineBytes(),
                scrape.maxTokenBytes(),
                scrape.maxSeries(),
                scrape.maxLabels(),
                scrape.maxParsedBytes(),
                scrape.maxErrorChars(),
                10);
        int concurrency = Math.max(1, config.scrape().concurrency());
        // Platform threads on purpose: the scrape is blocking HTTP and parsing, off the event loop.
        this.pool = Executors.newFixedThreadPool(
                concurrency, Thread.ofPlatform().daemon().name("scrape-", 0).factory());
        this.allowList = EndpointAllowList.of(ALLOWED_PROPERTY, config.scrape().allowedEndpoints());
        this.fetcher = new ExpositionFetcher(
                vertx,
                allowList,
                EndpointAllowList.Resolver.SYSTEM,
                config.scrape().timeout(),
                config.scrape().maxBytes());
        this.duration = Timer.builder("meridian.observability.scrape.duration")
                .description("Time to scrape, parse and publish one cluster's metrics")
                .publishPercentileHistogram()
                .register(registry);
        this.failures = Counter.builder("meridian.observability.scrape.failures")
                .description("Scrapes that failed: unreachable endpoint, timeout, bad status or unparseable text")
                .register(registry);
        this.samples = Counter.builder("meridian.observability.scrape.samples")
                .description("Samples published on fleet.metrics.v1")
                .register(registry);
        this.skipped = Counter.builder("meridian.observability.scrape.skipped")
                .description("Scrapes skipped because the previous one of the cluster was still running")
                .register(registry);
    }

    @Scheduled(
            every = "${meridian.observability.scrape.interval}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        for (ClusterSnapshot cluster : fleet.clusters()) {
            if (cluster.metricsUrl() == null
                    || cluster.metricsUrl().isBlank()
                    || !ownership.owns(cluster.clusterId())) {
                continue;
            }
            if (!inFlight.add(cluster.clusterId())) {
                skipped.increment();
                continue;
            }
            try {
                pool.execute(() -> {
                    try {
                        scrape(cluster.clusterId(), cluster.metricsUrl());
                    } finally {
                        inFlight.remove(cluster.clusterId());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                inFlight.remove(cluster.clusterId());
            }
        }
        status.keySet().removeIf(id -> {
            boolean gone = fleet.cluster(id).isEmpty() || !ownership.owns(id);
            if (gone) {
                registry.find(LINES_SKIPPED).tag("cluster", id).meters().forEach(registry::remove);
            }
            return gone;
        });
    }

    /**
     * Runs work on the scrape pool; once the service stops, drops it. An acknowledgement completing on the producer's
     * thread after the pool shut down would otherwise throw into the producer's callback.
     */
    private void unlessStopping(Runnable work) {
        try {
            pool.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the store goes with the service
        }
    }

    /** Scrapes one cluster now, on the calling thread. */
    void scrape(String clusterId, String url) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        // One deadline for the whole scrape: what the fetch leaves of the timeout is what the parse may take.
        long deadline = t0 + config.scrape().timeout().toNanos();
        ScrapeStatus previous = status.get(clusterId);
        try {
            ExpositionFetcher.Body body = fetcher.fetch(url);
            ExpositionParser.Exposition exposition = ExpositionParser.parse(
                    body.bytes(),
                    ExpositionFormat.ofContentType(body.contentType()),
                    limits,
                    () -> System.nanoTime() - deadline > 0);
            recordSkipped(clusterId, previous, exposition);
            List<Sample> batch = new ArrayList<>(exposition.samples().size());
            for (ExpositionParser.ParsedSample s : exposition.samples()) {
                if (!Double.isFinite(s.value())) {
                    continue; // JSON cannot carry NaN or infinities; the contract says finite values only
                }
                Instant at = s.timestampMillis() == null ? started : Instant.ofEpochMilli(s.timestampMillis());
                batch.add(new Sample(s.metric(), s.labels(), s.value(), at));
            }
            MetricsBatch published = new MetricsBatch(clusterId, started, batch);
            // This replica's consumer skips its own batches: they are stored here once Kafka has them, also when that
            // takes longer than the scrape may wait (the producer goes on retrying a batch the wait gave up on).
            CompletableFuture<Void> sent = publisher.publish(published);
            sent.thenRunAsync(() -> store.appendAll(published), this::unlessStopping);
            sent.get(config.scrape().timeout().toMillis(), TimeUnit.MILLISECONDS);
            samples.increment(batch.size());
            status.put(
                    clusterId,
                    new ScrapeStatus(
                            started, started, null, 0, batch.size(), exposition.skippedLines(), exposition.problems()));
            if (previous != null && previous.consecutiveFailures() > 0) {
                LOG.infof(
                        "cluster %s: metrics scrape works again after %d failures",
                        clusterId, previous.consecutiveFailures());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failures.increment();
            int failed = previous == null ? 1 : previous.consecutiveFailures() + 1;
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            status.put(
                    clusterId,
                    new ScrapeStatus(
                            started,
                            previous == null ? null : previous.lastSuccess(),
                            reason,
                            failed,
                            0,
                            0,
                            List.of()));
            if (failed == 1 || failed % 20 == 0) {
                // The URL may carry a token in its query: log the cluster, never the URL.
                LOG.warnf("cluster %s: metrics scrape failed (%d in a row): %s", clusterId, failed, reason);
            }
        } finally {
            duration.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    private void recordSkipped(String clusterId, ScrapeStatus previous, ExpositionParser.Exposition exposition) {
        Counter counter = Counter.builder(LINES_SKIPPED)
                .description("Exposition lines skipped as unreadable (the rest of the scrape is kept), per cluster")
                .tag("cluster", clusterId)
                .register(registry);
        counter.increment(exposition.skippedLines());
        boolean before = previous != null
                && (previous.lastSkippedLines() > 0 || !previous.lastProblems().isEmpty());
        boolean now = exposition.skippedLines() > 0 || !exposition.problems().isEmpty();
        if (now && !before) {
            // Once when an endpoint starts sending lines we cannot read, not every interval after.
            LOG.warnf(
                    "cluster %s: metrics exposition has %d unreadable lines (kept the rest; %d dependent samples"
                            + " dropped): %s",
                    clusterId, exposition.skippedLines(), exposition.droppedSamples(), exposition.problems());
        }
    }

    void warnWhenOpen(@Observes StartupEvent started) {
        if (allowList.allowsAny()) {
            LOG.warnf(
                    "metrics endpoints are not restricted: the scraper connects to whatever host a cluster's"
                            + " metricsUrl names but cloud metadata and other reserved addresses, so any internal"
                            + " service. Set %s to the host globs and CIDRs of your clusters' metrics endpoints,"
                            + " e.g. *.internal.example.com,10.0.0.0/8",
                    ALLOWED_PROPERTY);
        } else {
            LOG.infof("metrics endpoints allowed: %s", allowList);
        }
    }

    public Optional<ScrapeStatus> status(String clusterId) {
        return Optional.ofNullable(status.get(clusterId));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        pool.shutdownNow();
        fetcher.close();
    }
}
