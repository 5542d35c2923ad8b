package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.DeadLetterHeaders;
import io.meridian.contracts.kafka.KafkaPrincipal;
import io.meridian.fleetsim.SimulatedCluster;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Continuous traffic through repeated faults, with an exact account of what arrived (the shape of Strimzi's
 * rolling-restart clients and of Jepsen's lost-write check). Two replicas of every service run against the simulated
 * fleet while a storm of changes goes on (grants created, approved and revoked, bindings deleted by hand, clusters
 * flapping, 500 ms latency on some clusters, and the {@link PolicyStorm}: pods breaking a policy or not, waivers,
 * clusters relabelled into and out of the policy's scope, its rule changed), and meanwhile a replica is killed with
 * SIGKILL and restarted every 30 s, the Kafka broker and PostgreSQL are each restarted once, and a tenth of the
 * clusters go down and come back. After the last fault the clusters themselves (not Meridian's answers) must show
 * exactly the bindings of the active grants, the open violations must be what the policy says of the pods there,
 * every acknowledged change must have survived, every audit record of the storm must be on an audit topic and
 * exactly once in the audit index, and no record may have been dead-lettered.
 *
 * <p>The storm lasts {@code meridian.chaos.seconds} (120 in CI; longer by the property).
 */
@SystemTest
@Order(Integer.MAX_VALUE) // last: see junit-platform.properties
class ChaosIT {

    private static final Duration STORM = Duration.ofSeconds(Long.getLong("meridian.chaos.seconds", 120));
    private static final Duration CONVERGED_WITHIN = Duration.ofSeconds(60);
    private static final Duration KILL_EVERY = Duration.ofSeconds(30);
    private static final Duration STEP = Duration.ofMillis(700);
    // A step whose requests wait on a stalled service takes up to 40 s (two requests, each 5 s to connect and 15 s to
    // answer): the storm counts as alive to its end when a step began or ended that close to it.
    private static final Duration LONGEST_STEP = Duration.ofSeconds(45);
    private static final String NAMESPACE = "default";
    private static final String REASON = "chaos storm";
    private static final String[] CLOUDS = {"aws", "azure", "gcp", "onprem"};

    private final SystemUnderTest system;
    private final Random random = new Random(20261206);

    // What Meridian acknowledged: a change it answered with success must survive every fault.
    private final Set<String> acknowledgedActive = ConcurrentHashMap.newKeySet();
    private final Map<String, String> cloudOf = new ConcurrentHashMap<>();
    private final Set<String> acknowledgedRevoked = ConcurrentHashMap.newKeySet();
    // Revocations whose answer was lost (a timeout, a killed replica): they may or may not have happened.
    private final Set<String> maybeRevoked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger supervisorRestarts = new AtomicInteger();
    private final AtomicInteger auditRecords = new AtomicInteger();
    private final AtomicInteger deadLettersReplayed = new AtomicInteger();
    private final AtomicInteger auditDuplicatesOnTopics = new AtomicInteger();
    private final AtomicInteger steps = new AtomicInteger();
    // When a step last began or ended.
    private volatile Instant lastStepAt = Instant.EPOCH;
    private final Map<String, Integer> changes = new TreeMap<>();
    private final List<String> faults = new CopyOnWriteArrayList<>();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicReference<RuntimeException> faultFailure = new AtomicReference<>();
    private volatile Instant stormStarted = Instant.now();

    private final PolicyStorm policies;
    private final AlertAccount alerts = new AlertAccount();

    ChaosIT(SystemUnderTest system) {
        this.system = system;
        this.policies = new PolicyStorm(system, random, this::count, unanswered::incrementAndGet);
    }

    @Test
    void aStormOfChangesThroughRepeatedFaultsLosesNothing() throws Exception {
        system.registerFleet();
        policies.setUp();
        system.startSecondReplicas();
        List<SimulatedCluster> slow = system.fleet().clusters().subList(0, 2);
        try {
            slow.forEach(c -> c.latency(Duration.ofMillis(500)));
            Instant stormStart = Instant.now();
            stormStarted = stormStart;
            AtomicReference<Instant> lastFault = new AtomicReference<>(stormStart);
            int scheduledFaults;
            java.util.concurrent.ScheduledFuture<?> stepping;
            ScheduledExecutorService storm =
                    Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "chaos-storm"));
            // Two threads: a kill keeps its time while the broker or the database is being restarted.
            ScheduledExecutorService injector = Executors.newScheduledThreadPool(2, r -> new Thread(r, "chaos-faults"));
            try {
                stepping = storm.scheduleWithFixedDelay(this::stormStep, 0, STEP.toMillis(), TimeUnit.MILLISECONDS);
                storm.scheduleWithFixedDelay(this::supervise, 2, 2, TimeUnit.SECONDS);
                scheduledFaults = scheduleFaults(injector, lastFault);
                // Delayed tasks still run after shutdown: this waits for the last fault and the end of the storm.
                injector.shutdown();
                assertThat(injector.awaitTermination(STORM.toSeconds() + 300, TimeUnit.SECONDS))
                        .as("the faults were injected")
                        .isTrue();
                // A periodic task ends only by throwing: the storm must still be stepping when the faults are over.
                if (stepping.isDone()) {
                    try {
                        stepping.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new AssertionError("the storm died after " + steps.get() + " steps", e.getCause());
                    }
                    throw new AssertionError("the storm stopped after " + steps.get() + " steps");
                }
            } finally {
                storm.shutdownNow();
                injector.shutdownNow();
                storm.awaitTermination(60, TimeUnit.SECONDS);
            }
            if (faultFailure.get() != null) {
                throw new AssertionError("a fault could not be injected", faultFailure.get());
            }
            assertThat(faults).as("every scheduled fault was injected").hasSize(scheduledFaults);
            assertThat(lastStepAt)
                    .as("the storm went on to the end (%d steps)", steps.get())
                    .isAfter(stormStart.plus(STORM).minus(LONGEST_STEP));
            slow.forEach(c -> c.latency(Duration.ZERO));
            system.fleet().clusters().stream().filter(c -> !c.isUp()).forEach(SimulatedCluster::up);
            try {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            supervise();
                            return system.allReady();
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("replicas not ready again 3 minutes after the storm: " + system.notReady(), e);
            }
            Instant allBack = Instant.now();

            Set<String> checked = checkedClusters();
            List<String> lost = new ArrayList<>();
            Instant converged = awaitConvergence(checked, stormStart, lost);
            List<String> deadLetters = deadLettersSince(stormStart);
            int duplicates = duplicateAccessEventsSince(stormStart);
            printTable(stormStart, lastFault.get(), allBack, converged, lost, deadLetters, duplicates, checked.size());

            assertThat(lost).as("changes lost or not converged on the clusters").isEmpty();
            assertThat(deadLetters).as("records dead-lettered during the storm").isEmpty();
            assertThat(changes.getOrDefault("grant approved", 0))
                    .as("the storm changed something")
                    .isPositive();
            assertThat(policies.violationsExpected())
                    .as("the violations check had violations to find")
                    .isPositive();
        } finally {
            slow.forEach(c -> c.latency(Duration.ZERO));
            system.stopSecondReplicas();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the storm

    private void stormStep() {
        steps.incrementAndGet();
        lastStepAt = Instant.now();
        int dice = random.nextInt(24);
        try {
            if (dice < 6) {
                createGrant();
            } else if (dice < 9) {
                revokeGrant();
            } else if (dice < 12) {
                deleteBindingByHand();
            } else if (dice < 13) {
                flapCluster();
            } else {
                policies.step(dice - 13, anyReplica());
            }
        } catch (Exception | AssertionError e) {
            // A killed replica, a broker or database away: the caller sees an error and nothing is acknowledged.
            // RestAssured throws ConnectException and SocketTimeoutException undeclared, and a status check an
            // AssertionError: caught here, or the scheduler would cancel every later step (checked at the end).
            unanswered.incrementAndGet();
        } finally {
            lastStepAt = Instant.now();
        }
    }

    private void createGrant() {
        String cloud = CLOUDS[random.nextInt(CLOUDS.length)];
        Map<String, Object> grant = Map.of(
                "subject", Map.of("kind", "group", "name", "payments"),
                "role", "view",
                "scope", Map.of("cloud", cloud),
                "namespaces", List.of(NAMESPACE),
                "reason", REASON + " " + changes.getOrDefault("grant requested", 0));
        count("grant requested");
        Response created = system.as(DemoUser.ADMIN, Service.IDENTITY, anyReplica())
                .body(grant)
                .post("/api/v1/grants");
        if (created.statusCode() != 201) {
            unanswered.incrementAndGet();
            return;
        }
        String id = created.path("id");
        cloudOf.put(id, cloud);
        if ("Active".equals(created.path("state"))) {
            acknowledgedActive.add(id);
            count("grant approved");
            return;
        }
        Response approved =
                system.as(DemoUser.ADMIN2, Service.IDENTITY, anyReplica()).post("/api/v1/grants/{id}/approve", id);
        if (approved.statusCode() == 200 && "Active".equals(approved.path("state"))) {
            acknowledgedActive.add(id);
            count("grant approved");
        } else {
            unanswered.incrementAndGet();
        }
    }

    /** One of the grants Meridian acknowledged Active and not revoked, picked at random. */
    private java.util.Optional<String> anyActiveGrant() {
        List<String> active = new ArrayList<>(new TreeSet<>(acknowledgedActive));
        active.removeAll(acknowledgedRevoked);
        return active.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(pick(active));
    }

    private void revokeGrant() {
        String id = anyActiveGrant().orElse(null);
        if (id == null) {
            return;
        }
        count("grant revoked");
        maybeRevoked.add(id);
        Response revoked =
                system.as(DemoUser.OPERATOR, Service.IDENTITY, anyReplica()).delete("/api/v1/grants/{id}", id);
        if (revoked.statusCode() == 204) {
            acknowledgedRevoked.add(id);
        } else {
            unanswered.incrementAndGet();
        }
    }

    private void deleteBindingByHand() {
        String id = anyActiveGrant().orElse(null);
        if (id == null) {
            return;
        }
        String binding = "meridian-grant-" + id;
        List<SimulatedCluster> inScope = system.fleet().clusters().stream()
                .filter(c -> cloudOf.get(id).equals(c.cloud().wireName()))
                .toList();
        if (inScope.isEmpty()) {
            return;
        }
        SimulatedCluster cluster = pick(inScope);
        if (cluster.isUp()
                && !cluster.client()
                        .rbac()
                        .roleBindings()
                        .inNamespace(NAMESPACE)
                        .withName(binding)
                        .delete()
                        .isEmpty()) {
            count("binding deleted by hand");
            // When and where, to read a slow convergence against the services' logs.
            System.out.printf("[chaos] %s: deleted %s on %s by hand%n", Instant.now(), binding, cluster.name());
        }
    }

    private void flapCluster() {
        SimulatedCluster cluster = pick(system.fleet().clusters());
        if (cluster.isUp()) {
            cluster.down(Duration.ofSeconds(5));
            count("cluster flapped for 5 s");
            System.out.printf("[chaos] %s: %s down for 5 s%n", Instant.now(), cluster.name());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the faults

    /**
     * A replica killed every 30 s from 15 s on (none in the last 30 s); the broker restarted at 30 % of the storm, a
     * tenth of the clusters down at 50 %, PostgreSQL restarted at 70 %; the last task marks the end of the storm.
     */
    private int scheduleFaults(ScheduledExecutorService injector, AtomicReference<Instant> lastFault) {
        Random faultDice = new Random(7);
        int scheduled = 3;
        // No kill in the storm's last 30 s: a replica started then would only be waited for, not stormed.
        for (long at = KILL_EVERY.toMillis() / 2;
                at <= STORM.minus(KILL_EVERY).toMillis();
                at += KILL_EVERY.toMillis()) {
            Service service = Service.values()[faultDice.nextInt(Service.values().length)];
            int replica = 1 + faultDice.nextInt(2);
            scheduled++;
            injector.schedule(
                    () -> fault(
                            lastFault,
                            "kill -9 " + service.serviceName() + " replica " + replica + ", restarted",
                            () -> system.killAndRestart(service, replica)),
                    at,
                    TimeUnit.MILLISECONDS);
        }
        injector.schedule(
                () -> fault(
                        lastFault,
                        "Kafka broker killed (-9), restarted after 5 s",
                        () -> system.restartStack("kafka", Duration.ofSeconds(5))),
                STORM.toMillis() * 3 / 10,
                TimeUnit.MILLISECONDS);
        injector.schedule(
                () -> {
                    List<SimulatedCluster> clusters =
                            new ArrayList<>(system.fleet().clusters());
                    Collections.shuffle(clusters, faultDice);
                    List<SimulatedCluster> down = clusters.subList(0, Math.max(1, clusters.size() / 10));
                    fault(
                            lastFault,
                            "a tenth of the clusters down for 20 s: "
                                    + down.stream().map(SimulatedCluster::name).toList(),
                            () -> down.forEach(c -> c.down(Duration.ofSeconds(20))));
                },
                STORM.toMillis() / 2,
                TimeUnit.MILLISECONDS);
        injector.schedule(
                () -> fault(
                        lastFault,
                        "PostgreSQL stopped for 5 s and restarted",
                        () -> system.restartStack("postgres", Duration.ofSeconds(5))),
                STORM.toMillis() * 7 / 10,
                TimeUnit.MILLISECONDS);
        injector.schedule(() -> {}, STORM.toMillis(), TimeUnit.MILLISECONDS);
        return scheduled;
    }

    // What a supervisor (a Deployment's controller) does: a replica that exited is started again.
    private void supervise() {
        try {
            supervisorRestarts.addAndGet(system.restartExited().size());
        } catch (RuntimeException e) {
            unanswered.incrementAndGet();
        }
    }

    private void fault(AtomicReference<Instant> lastFault, String what, Runnable inject) {
        try {
            inject.run();
            faults.add(Duration.between(stormStarted, Instant.now()).toSeconds() + " s: " + what);
            lastFault.set(Instant.now());
        } catch (RuntimeException e) {
            faultFailure.compareAndSet(null, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ground truth

    /** Registered clusters that are up and answer every kind: where the bindings can be checked. */
    private Set<String> checkedClusters() {
        Set<String> registered = new HashSet<>();
        CursorPages.forEach(
                () -> system.as(DemoUser.VIEWER, Service.INVENTORY).queryParam("limit", 500),
                "/api/v1/clusters",
                page -> registered.addAll(page.getList("items.name", String.class)));
        Set<String> checked = new TreeSet<>();
        for (SimulatedCluster cluster : system.fleet().clusters()) {
            if (registered.contains(cluster.name())
                    && cluster.isUp()
                    && cluster.forbiddenKinds().isEmpty()) {
                checked.add(cluster.name());
            }
        }
        return checked;
    }

    private Instant awaitConvergence(Set<String> checked, Instant stormStart, List<String> lost) {
        AtomicReference<List<String>> last = new AtomicReference<>(List.of());
        Instant from = Instant.now();
        try {
            await().atMost(CONVERGED_WITHIN).pollInterval(Duration.ofSeconds(1)).until(() -> {
                // Every account each round, so that what is still wrong at the end is listed whole.
                List<String> problems = new ArrayList<>();
                boolean cutShort = false;
                for (java.util.function.Supplier<List<String>> account :
                        List.<java.util.function.Supplier<List<String>>>of(
                                () -> problems(checked),
                                () -> policies.problems(checked),
                                () -> alertProblems(stormStart, checked),
                                () -> auditProblems(stormStart))) {
                    try {
                        problems.addAll(account.get());
                    } catch (RuntimeException | AssertionError e) {
                        // A service still catching up (a 503, a broker settling) is not converged yet, not a failure.
                        problems.add("not checkable yet: " + e);
                        cutShort |= interrupted(e);
                    }
                }
                if (!cutShort && !Thread.currentThread().isInterrupted()) {
                    // A round cut short by the timeout would list its interruption instead of what is still wrong.
                    if (!problems.isEmpty() && !problems.equals(last.get())) {
                        // What convergence waits for, as it changes: what a slow convergence spent its time on.
                        System.out.printf(
                                "[chaos] %s: %.1f s into convergence, %d still wrong, e.g. %s%n",
                                Instant.now(),
                                Duration.between(from, Instant.now()).toMillis() / 1000.0,
                                problems.size(),
                                problems.subList(0, Math.min(3, problems.size())));
                    }
                    last.set(problems);
                }
                return problems.isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            lost.addAll(last.get());
        }
        return Instant.now();
    }

    /** Whether a failure was the timeout interrupting the round (clients wrap it, and may clear the flag). */
    private static boolean interrupted(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException
                    || cause instanceof java.io.InterruptedIOException
                    || cause instanceof org.apache.kafka.common.errors.InterruptException) {
                return true;
            }
        }
        return false;
    }

    private List<String> problems(Set<String> checked) {
        List<String> problems = new ArrayList<>();
        Map<String, Grant> grants = new HashMap<>();
        try {
            allGrants().forEach(g -> grants.put(g.id(), g));
        } catch (RuntimeException | AssertionError e) {
            return List.of("identity does not list its grants: " + e.getMessage());
        }
        for (String id : acknowledgedActive) {
            Grant grant = grants.get(id);
            String wanted = acknowledgedRevoked.contains(id) ? "Revoked" : "Active";
            String state = grant == null ? "missing" : grant.state();
            boolean eitherWay = !acknowledgedRevoked.contains(id)
                    && maybeRevoked.contains(id)
                    && ("Active".equals(state) || "Revoked".equals(state));
            if (!wanted.equals(state) && !eitherWay) {
                problems.add("grant " + id + " was acknowledged " + wanted + " but is " + state);
            }
        }
        Map<String, String> bundleViews = new HashMap<>(); // asked once per cluster and round
        for (SimulatedCluster cluster : system.fleet().clusters()) {
            if (!checked.contains(cluster.name())) {
                continue;
            }
            String cloud = cluster.cloud().wireName();
            Set<String> present = new TreeSet<>();
            for (RoleBinding binding : cluster.client()
                    .rbac()
                    .roleBindings()
                    .inNamespace(NAMESPACE)
                    .list()
                    .getItems()) {
                String name = binding.getMetadata().getName();
                if (name.startsWith("meridian-grant-")) {
                    present.add(name.substring("meridian-grant-".length()));
                }
            }
            for (Grant grant : grants.values()) {
                boolean active = "Active".equals(grant.state());
                if (grant.chaos() && active && cloud.equals(grant.cloud()) && !present.contains(grant.id())) {
                    problems.add("active grant " + grant.id() + " has no binding on " + cluster.name() + " ("
                            + bundleViews.computeIfAbsent(cluster.name(), this::identityBundleOn) + ")");
                } else if (grant.chaos() && active && !cloud.equals(grant.cloud()) && present.contains(grant.id())) {
                    problems.add("grant " + grant.id() + " of " + grant.cloud() + " has a binding on " + cluster.name()
                            + " (" + cloud + ")");
                } else if (!active && present.contains(grant.id())) {
                    problems.add(grant.state() + " grant " + grant.id() + " still has a binding on " + cluster.name());
                }
            }
            for (String id : present) {
                if (!grants.containsKey(id)) {
                    problems.add("binding meridian-grant-" + id + " on " + cluster.name() + " belongs to no grant");
                }
            }
        }
        return problems;
    }

    /** What inventory says of identity's bundle on a cluster: which side a missing binding is stuck on. */
    private String identityBundleOn(String cluster) {
        try {
            Map<String, Object> sync = system.as(DemoUser.VIEWER, Service.INVENTORY)
                    .get("/api/v1/clusters/" + cluster + "/sync")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getMap("owners.find { it.owner == 'identity' }");
            return sync == null ? "inventory knows no identity bundle there" : "inventory: " + sync;
        } catch (RuntimeException | AssertionError e) {
            return "inventory's sync view unavailable: " + e.getMessage();
        }
    }

    /** The alerts' account: observability's alerts read first, then the topic that must announce them. */
    private List<String> alertProblems(Instant since, Set<String> checked) {
        Instant listedAt = Instant.now();
        List<Map<String, Object>> listed = system.as(DemoUser.VIEWER, Service.OBSERVABILITY)
                .queryParam("limit", AlertAccount.ALERTS_LISTED)
                .get("/api/v1/alerts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        return alerts.problems(listed, listedAt, readSince(Set.of(Topic.ALERTS.topicName()), since), since, checked);
    }

    /**
     * Every audit record made since the storm began (by its own time) is on an audit topic at least once and in
     * observability's audit index exactly once, and the index holds nothing that no audit topic carried.
     */
    private List<String> auditProblems(Instant since) {
        // The index first, up to a cutoff, then the topics: whatever the index holds was on a topic before it was
        // read, and records made while this runs are left to the next round on both sides.
        Instant cutoff = Instant.now();
        Map<String, Integer> inIndex = new HashMap<>();
        CursorPages.forEach(
                () -> system.as(DemoUser.VIEWER, Service.OBSERVABILITY)
                        .queryParam("from", since.toString())
                        .queryParam("to", cutoff.toString())
                        .queryParam("limit", 500),
                "/api/v1/audit",
                page -> page.getList("items.id", String.class).forEach(id -> inIndex.merge(id, 1, Integer::sum)));
        Map<String, Integer> onTopics = new HashMap<>();
        Set<String> topics = new TreeSet<>();
        Topic.audit().forEach(t -> topics.add(t.topicName()));
        // Records are stamped before the outbox relays them: read from a minute earlier, keep those of the storm.
        for (ConsumerRecord<String, byte[]> record : readSince(topics, since.minusSeconds(60))) {
            AuditRecord audit = EventJson.read(record.value(), AuditRecord.class);
            if (!audit.at().isBefore(since) && audit.at().isBefore(cutoff)) {
                onTopics.merge(audit.id(), 1, Integer::sum);
            }
        }
        List<String> problems = new ArrayList<>();
        onTopics.forEach((id, times) -> {
            if (!inIndex.containsKey(id)) {
                problems.add("audit record " + id + " is on an audit topic but not in the audit index");
            }
        });
        inIndex.forEach((id, times) -> {
            if (times > 1) {
                problems.add("audit record " + id + " is in the audit index " + times + " times");
            }
            if (!onTopics.containsKey(id)) {
                problems.add("audit record " + id + " is in the audit index but on no audit topic");
            }
        });
        auditRecords.set(onTopics.size());
        auditDuplicatesOnTopics.set(
                onTopics.values().stream().mapToInt(n -> n - 1).sum());
        return problems;
    }

    /** A grant as identity lists it; {@code chaos} when this storm made it (scoped to one cloud, namespace default). */
    private record Grant(String id, String state, String cloud, boolean chaos) {}

    @SuppressWarnings("unchecked")
    private List<Grant> allGrants() {
        List<Grant> grants = new ArrayList<>();
        CursorPages.forEach(
                () -> system.as(DemoUser.VIEWER, Service.IDENTITY).queryParam("limit", 200), "/api/v1/grants", page -> {
                    for (Map<String, Object> item : page.<Map<String, Object>>getList("items")) {
                        Map<String, Object> scope = (Map<String, Object>) item.getOrDefault("scope", Map.of());
                        String reason = (String) item.get("reason");
                        grants.add(new Grant(
                                (String) item.get("id"),
                                (String) item.get("state"),
                                (String) scope.get("cloud"),
                                reason != null && reason.startsWith(REASON)));
                    }
                });
        return grants;
    }

    /** Every record on a dead-letter topic since the storm began, with its reason. */
    private List<String> deadLettersSince(Instant since) throws Exception {
        List<String> found = new ArrayList<>();
        Set<String> topics;
        try (Admin admin = Admin.create(system.kafkaClientProperties(KafkaPrincipal.ADMIN))) {
            topics = new TreeSet<>(admin.listTopics().names().get());
        }
        topics.removeIf(t -> !t.endsWith(Topic.DEAD_LETTER_SUFFIX));
        // A record refused before the storm (another scenario's deliberately bad one) is refused again by a replica
        // that reads its compacted topic from the start: a replay of an old dead letter, counted apart.
        Set<String> refusedBefore = new HashSet<>();
        List<ConsumerRecord<String, byte[]>> during = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readSince(topics, Instant.EPOCH)) {
            if (record.timestamp() < since.toEpochMilli()) {
                refusedBefore.add(original(record));
            } else {
                during.add(record);
            }
        }
        for (ConsumerRecord<String, byte[]> record : during) {
            if (refusedBefore.contains(original(record))) {
                deadLettersReplayed.incrementAndGet();
                continue;
            }
            Header reason = record.headers().lastHeader(DeadLetterHeaders.REASON);
            found.add(record.topic() + " " + record.key() + ": "
                    + (reason == null ? "(no reason)" : new String(reason.value(), StandardCharsets.UTF_8)));
        }
        return found;
    }

    /** Where a dead letter's record came from: its topic, partition and offset, as the dead-letter headers say. */
    private static String original(ConsumerRecord<String, byte[]> deadLetter) {
        StringBuilder origin = new StringBuilder();
        for (String header : List.of(DeadLetterHeaders.TOPIC, DeadLetterHeaders.PARTITION, DeadLetterHeaders.OFFSET)) {
            Header value = deadLetter.headers().lastHeader(header);
            origin.append(value == null ? "?" : new String(value.value(), StandardCharsets.UTF_8))
                    .append('/');
        }
        // Without the headers a dead letter cannot be matched to an earlier one: it counts as new.
        return origin.indexOf("?") >= 0 ? deadLetter.topic() + "@" + deadLetter.offset() : origin.toString();
    }

    /** Access events delivered more than once (the same CloudEvent id): allowed by at-least-once, counted. */
    private int duplicateAccessEventsSince(Instant since) {
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        for (ConsumerRecord<String, byte[]> record : readSince(Set.of(Topic.ACCESS.topicName()), since)) {
            Header id = record.headers().lastHeader(CloudEventHeaders.ID);
            if (id != null && !ids.add(new String(id.value(), StandardCharsets.UTF_8))) {
                duplicates++;
            }
        }
        return duplicates;
    }

    private List<ConsumerRecord<String, byte[]>> readSince(Set<String> topics, Instant since) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        if (topics.isEmpty()) {
            return records;
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(system.kafkaConsumerProperties("chaos"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
            partitions.forEach(p -> timestamps.put(p, since.toEpochMilli()));
            consumer.offsetsForTimes(timestamps).forEach((partition, offset) -> {
                if (offset == null) {
                    consumer.seek(partition, ends.get(partition));
                } else {
                    consumer.seek(partition, offset.offset());
                }
            });
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            List<TopicPartition> unread = partitions.stream()
                    .filter(p -> consumer.position(p) < ends.get(p))
                    .toList();
            assertThat(unread).as("partitions read to their end within 30 s").isEmpty();
        }
        return records;
    }

    private void printTable(
            Instant stormStart,
            Instant lastFault,
            Instant allBack,
            Instant converged,
            List<String> lost,
            List<String> deadLetters,
            int duplicates,
            int clustersChecked) {
        StringBuilder table = new StringBuilder("\n----- chaos: " + STORM.toSeconds() + " s storm, two replicas of "
                + "each service, " + clustersChecked + " clusters checked\n");
        table.append("| changes made | count |\n|---|---|\n");
        changes.forEach((what, count) ->
                table.append("| ").append(what).append(" | ").append(count).append(" |\n"));
        table.append("| requests not answered with success (faults) | ")
                .append(unanswered.get())
                .append(" |\n");
        table.append("\n| faults injected (in order) |\n|---|\n");
        faults.forEach(f -> table.append("| ").append(f).append(" |\n"));
        table.append("\n| outcome | |\n|---|---|\n");
        table.append("| storm + faults | ")
                .append(Duration.between(stormStart, lastFault).toSeconds())
                .append(" s |\n");
        table.append("| every replica ready again after the last fault | ")
                .append(Duration.between(lastFault, allBack).toMillis() / 1000.0)
                .append(" s |\n");
        table.append("| replicas that exited and were restarted by the supervisor | ")
                .append(supervisorRestarts.get())
                .append(" |\n");
        table.append("| converged after that | ")
                .append(Duration.between(allBack, converged).toMillis() / 1000.0)
                .append(" s |\n");
        table.append("| lost (acknowledged changes missing, bindings wrong, audit records missing or doubled) | ")
                .append(lost.size())
                .append(" |\n");
        table.append("| dead letters | ").append(deadLetters.size()).append(" |\n");
        table.append("| records refused before the storm, refused again by a replica reading from the start | ")
                .append(deadLettersReplayed.get())
                .append(" |\n");
        table.append("| open violations of the storm's policy, each what the policy says of a pod | ")
                .append(policies.violationsExpected())
                .append(" |\n");
        table.append("| alert announcements during the storm, each transition announced, none after resolution | ")
                .append(alerts.announcements())
                .append(" |\n");
        table.append("| duplicate deliveries seen on fleet.alerts.v1 (allowed) | ")
                .append(alerts.duplicates())
                .append(" |\n");
        table.append("| audit records of the storm, each once in the index | ")
                .append(auditRecords.get())
                .append(" |\n");
        table.append("| duplicate deliveries seen on the audit topics (allowed) | ")
                .append(auditDuplicatesOnTopics.get())
                .append(" |\n");
        table.append("| duplicate deliveries seen on fleet.access.v1 (allowed) | ")
                .append(duplicates)
                .append(" |\n");
        lost.forEach(l -> table.append("lost: ").append(l).append('\n'));
        deadLetters.forEach(d -> table.append("dead letter: ").append(d).append('\n'));
        System.out.println(table);
    }

    // ---------------------------------------------------------------------------------------------------------------

    // Requests go to either replica, as behind a Kubernetes Service: one that was killed fails that request only.
    private int anyReplica() {
        return 1 + random.nextInt(2);
    }

    private synchronized void count(String what) {
        changes.merge(what, 1, Integer::sum);
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
