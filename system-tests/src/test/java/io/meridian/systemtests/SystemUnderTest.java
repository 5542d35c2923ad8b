package io.meridian.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.kafka.KafkaPrincipal;
import io.meridian.contracts.kafka.ScramLogin;
import io.meridian.contracts.kafka.UserPasswords;
import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.stack.FreePorts;
import io.meridian.stack.LocalStack;
import io.meridian.stack.ServiceLaunch;
import io.meridian.stack.ServiceProcess;
import io.meridian.stack.StackPorts;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole of Meridian as a user runs it, started once per test JVM: the local stack ({@code bin/meridian stack}
 * with its own home and ports), the six packaged services as processes, and a simulated fleet of 12 clusters
 * in-process. Scenarios get it by parameter in classes annotated {@link SystemTest}, and reach it only through the
 * public REST APIs, Kafka topics and the simulator. Everything stops when the test plan ends (or the JVM does).
 */
public final class SystemUnderTest {

    /** Clusters in the simulated fleet, over AWS, Azure, GCP and on-prem. */
    public static final int FLEET_SIZE = 12;

    public static final long FLEET_SEED = 42;

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofMinutes(3);
    // Six more JVMs boot while the first six run, and each replays the compacted fleet topics whole before it is ready,
    // all on CI's two cores: with C2, 157 s locally for ChaosIT alone (after the whole suite, policy's replica took
    // 136 s, 62 s of it reading what the suite had published); the CI run that failed needed more than 180 s.
    private static final Duration SECOND_REPLICAS_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SystemUnderTest instance;
    private static RuntimeException startFailure;

    private final Path repo;
    private final LocalStack stack;
    private final Map<Service, ServiceProcess> services = new EnumMap<>(Service.class);
    private final Map<Service, ServiceLaunch> launches = new EnumMap<>(Service.class);
    // Second replicas, while a scenario runs them (see startSecondReplicas).
    private final Map<Service, ServiceProcess> secondReplicas = new EnumMap<>(Service.class);
    private final Map<DemoUser, Token> tokens = new EnumMap<>(DemoUser.class);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Fleet fleet;
    private List<RegisteredCluster> registeredFleet;
    private boolean stopped;

    private record Token(String value, Instant expires) {}

    /** The answer of inventory to registering one cluster of the simulated fleet. */
    public record RegisteredCluster(String name, int status, String body) {}

    private SystemUnderTest(Path repo, Path home) {
        this.repo = repo;
        // The Maven build that runs the system tests may hold the machine's Maven lock itself.
        this.stack = new LocalStack(repo, home, StackPorts.SYSTEM_TESTS, LocalStack.MavenLock.OWN);
    }

    /** The running system, started on first use; a failed start fails every later scenario at once. */
    static synchronized SystemUnderTest get() {
        if (startFailure != null) {
            throw new IllegalStateException("the system under test failed to start earlier", startFailure);
        }
        if (instance == null) {
            Path repo = Path.of(System.getProperty("meridian.repo", ".."))
                    .toAbsolutePath()
                    .normalize();
            Path home = Path.of(System.getProperty(
                            "meridian.system-tests.home",
                            repo.resolve("system-tests/target/meridian-home").toString()))
                    .toAbsolutePath()
                    .normalize();
            SystemUnderTest system = new SystemUnderTest(repo, home);
            Runtime.getRuntime().addShutdownHook(new Thread(system::stop, "system-under-test-stop"));
            try {
                system.start();
            } catch (RuntimeException e) {
                system.printLogTails();
                system.stop();
                startFailure = e;
                throw e;
            }
            instance = system;
        }
        return instance;
    }

    /** Stops the system if it was started; called when the test plan ends. */
    static synchronized void stopIfStarted() {
        if (instance != null) {
            instance.stop();
        }
    }

    private void start() {
        long t0 = System.nanoTime();
        log("starting the local stack in " + stack.home() + " (Kafka " + stack.kafkaBootstrapServers() + ", PostgreSQL "
                + stack.ports().postgres() + ", Keycloak " + stack.ports().keycloak() + ")");
        stack.start();
        log("stack up after %.1f s".formatted(seconds(t0)));

        String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        String notificationKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        for (Service service : Service.values()) {
            Map<String, String> properties = new LinkedHashMap<>(stack.serviceProperties());
            // Each service logs in to Kafka as its own principal, so the ACLs of contracts' catalog apply to it here
            // as in production.
            Map<String, String> environment = new LinkedHashMap<>(stack.serviceKafkaEnvironment(service.serviceName()));
            if (service == Service.INVENTORY) {
                // SmallRye Config lower-cases the map key of ..._KEYS_SYSTEMTEST, hence a lower-case key id.
                environment.put("MERIDIAN_INVENTORY_CREDENTIALS_ACTIVE_KEY_ID", "systemtest");
                environment.put("MERIDIAN_INVENTORY_CREDENTIALS_KEYS_SYSTEMTEST", key);
            } else if (service == Service.IDENTITY) {
                // identity looks subjects up with its client's service account (the realm's dev secret).
                environment.put("QUARKUS_OIDC_CREDENTIALS_SECRET", "meridian-identity-secret");
            }
            if (service == Service.OBSERVABILITY) {
                // Receiver URLs and keys are secrets stored sealed: without a key no webhook receiver can be written.
                // Lower-case key id for the same reason as inventory's. No allowed-endpoints list is set, which keeps
                // loopback open, so observability may deliver to a test's own HTTP endpoint on 127.0.0.1.
                environment.put("MERIDIAN_NOTIFICATIONS_SECRETS_ACTIVE_KEY_ID", "systemtest");
                environment.put("MERIDIAN_NOTIFICATIONS_SECRETS_KEYS_SYSTEMTEST", notificationKey);
                // Faster loops than production, so a scenario sees scrapes and alert transitions within seconds.
                properties.put("meridian.observability.scrape.interval", "5s");
                properties.put("meridian.observability.alerts.evaluation-interval", "2s");
                properties.put("meridian.observability.alerts.startup-grace", "10s");
                properties.put("meridian.observability.alerts.node-not-ready-for", "5s");
            }
            // C1 only: twelve service JVMs live a few minutes each on CI's two cores, and C2's compiling while they
            // boot cost more than it gave back (locally, ChaosIT's second replicas were ready in 64 s instead of 157 s,
            // the six services in 61 s instead of 92 s, the scenario took 352 s instead of 518 s). Production keeps
            // the JVM's defaults; the tests judge behaviour, never speed.
            List<String> jvmOptions = List.of(
                    service == Service.INVENTORY ? "-Xmx384m" : "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1");
            ServiceLaunch launch = new ServiceLaunch(
                    repo,
                    service.serviceName(),
                    FreePorts.next(),
                    // The management interface (health, metrics, OpenAPI) has a port of its own.
                    FreePorts.next(),
                    jvmOptions,
                    properties,
                    environment,
                    stack.logs());
            launches.put(service, launch);
            services.put(service, ServiceProcess.start(launch));
        }
        // The fleet seeds its clusters while the services boot.
        long tFleet = System.nanoTime();
        CompletableFuture<Fleet> fleetStart = CompletableFuture.supplyAsync(() ->
                Fleet.start(FleetOptions.defaults().withClusters(FLEET_SIZE).withSeed(FLEET_SEED)));
        awaitServicesReady();
        log("services ready after %.1f s: %s".formatted(seconds(t0), services.values()));
        fleet = fleetStart.join();
        log("simulated fleet of %d clusters up (%.1f s after its start)"
                .formatted(fleet.clusters().size(), seconds(tFleet)));
    }

    private void awaitServicesReady() {
        awaitReady(services, SERVICE_START_TIMEOUT);
    }

    private static void awaitReady(Map<Service, ServiceProcess> services, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<Service> pending = new ArrayList<>(services.keySet());
        while (!pending.isEmpty()) {
            for (Service name : List.copyOf(pending)) {
                ServiceProcess service = services.get(name);
                if (service.isReady()) {
                    pending.remove(name);
                } else if (service.lostItsPort()) {
                    log(service + " lost its port to another process while starting: starting it again");
                    services.put(name, service.restartedOn(FreePorts.next(), FreePorts.next()));
                } else if (!service.isAlive()) {
                    throw new IllegalStateException(name.serviceName() + " exited while starting; log " + service.log()
                            + ":\n" + service.logTail(40));
                }
            }
            if (!pending.isEmpty() && Instant.now().isAfter(deadline)) {
                // Readiness names the check that is down (a fleet view still reading, Kafka, the database).
                throw new IllegalStateException("not ready within " + timeout + ": "
                        + pending.stream()
                                .map(services::get)
                                .map(SystemUnderTest::notReady)
                                .toList());
            }
            sleep(Duration.ofMillis(500));
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        log("stopping");
        if (fleet != null) {
            fleet.close();
        }
        Stream.concat(services.values().stream(), secondReplicas.values().stream()).toList().parallelStream()
                .forEach(service -> service.stop(SERVICE_STOP_GRACE));
        try {
            stack.stop();
        } catch (RuntimeException e) {
            log("stopping the stack failed: " + e.getMessage());
        }
    }

    public synchronized ServiceProcess service(Service service) {
        return services.get(service);
    }

    /**
     * Starts a second replica of every service, with the same configuration (so the same consumer groups and
     * database schemas) on ports of its own, its log under {@code logs/replica-2/}; returns once all are ready.
     */
    public synchronized void startSecondReplicas() {
        for (Service service : Service.values()) {
            ServiceLaunch first = launches.get(service);
            secondReplicas.put(
                    service,
                    ServiceProcess.start(new ServiceLaunch(
                            repo,
                            first.service(),
                            FreePorts.next(),
                            FreePorts.next(),
                            first.jvmOptions(),
                            first.properties(),
                            first.environment(),
                            stack.logs().resolve("replica-2"))));
        }
        long t0 = System.nanoTime();
        awaitReady(secondReplicas, SECOND_REPLICAS_TIMEOUT);
        log("second replicas ready after %.1f s".formatted(seconds(t0)));
    }

    /** Stops the second replicas gracefully: the first ones carry on alone. */
    public synchronized void stopSecondReplicas() {
        secondReplicas.values().parallelStream().forEach(replica -> replica.stop(SERVICE_STOP_GRACE));
        secondReplicas.clear();
    }

    /**
     * Kills a replica of a service with SIGKILL (replica 1 is the first, 2 the second) and starts it again at once
     * on the same ports, as a supervisor would; does not wait until it is ready (see {@link #awaitAllReady()}).
     */
    public synchronized ServiceProcess killAndRestart(Service service, int replica) {
        Map<Service, ServiceProcess> replicas = replica == 1 ? services : secondReplicas;
        ServiceProcess killed = replicas.get(service);
        if (killed == null) {
            throw new IllegalArgumentException("no replica " + replica + " of " + service.serviceName());
        }
        killed.kill();
        ServiceProcess restarted = killed.restarted();
        replicas.put(service, restarted);
        return restarted;
    }

    /**
     * Starts again, on the same ports, every replica whose process has ended (one restarted while PostgreSQL was down
     * exits in its start-up migration), as a supervisor would; returns what it restarted.
     */
    public synchronized List<String> restartExited() {
        List<String> restarted = new ArrayList<>();
        for (Map<Service, ServiceProcess> replicas : List.of(services, secondReplicas)) {
            for (Map.Entry<Service, ServiceProcess> replica : replicas.entrySet()) {
                if (!replica.getValue().isAlive()) {
                    restarted.add(replica.getValue().toString());
                    replica.setValue(replica.getValue().restarted());
                }
            }
        }
        return restarted;
    }

    /** Whether every replica of every service answers its readiness check. */
    public synchronized boolean allReady() {
        return Stream.concat(services.values().stream(), secondReplicas.values().stream())
                .allMatch(ServiceProcess::isReady);
    }

    /** Each replica not ready now, with what its readiness answers: for a failure message. */
    public synchronized List<String> notReady() {
        return Stream.concat(services.values().stream(), secondReplicas.values().stream())
                .filter(s -> !s.isReady())
                .map(SystemUnderTest::notReady)
                .toList();
    }

    private static String notReady(ServiceProcess service) {
        return service + " answers " + service.readiness() + "; log " + service.log();
    }

    /** Restarts Kafka or PostgreSQL of the local stack, down for {@code downFor}: see {@link LocalStack#restart}. */
    public void restartStack(String component, Duration downFor) {
        stack.restart(component, downFor);
    }

    /** The simulated fleet: its clusters, their registrations, and fault injection. */
    public Fleet fleet() {
        return fleet;
    }

    /**
     * The index-th cluster of the fleet, registered and, as observability sees it, Ready with its metrics scraped at
     * least once: where the observability scenarios start.
     */
    public io.meridian.fleetsim.SimulatedCluster observedReadyCluster(int index) {
        registerFleet();
        io.meridian.fleetsim.SimulatedCluster cluster = fleet().clusters().get(index);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    io.restassured.path.json.JsonPath health = as(DemoUser.VIEWER, Service.OBSERVABILITY)
                            .queryParam("cluster", cluster.name())
                            .get("/api/v1/health")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    org.assertj.core.api.Assertions.assertThat(health.getString("clusters[0].phase"))
                            .isEqualTo("Ready");
                    org.assertj.core.api.Assertions.assertThat(health.getBoolean("clusters[0].metricsFresh"))
                            .isTrue();
                });
        return cluster;
    }

    public String kafkaBootstrapServers() {
        return stack.kafkaBootstrapServers();
    }

    /** The Keycloak base URL, e.g. {@code http://127.0.0.1:18180}, as a CLI context names it. */
    public String keycloakUrl() {
        return stack.keycloakUrl();
    }

    /** The file holding the SCRAM password {@code stack up} made for a principal, as the CLI reads it. */
    public Path kafkaPasswordFile(KafkaPrincipal principal) {
        return stack.kafkaUsers().resolve(principal.userName() + ".password");
    }

    /** The Keycloak realm {@code meridian}, e.g. {@code http://127.0.0.1:18180/realms/meridian}. */
    public String realmUrl() {
        return stack.realmUrl();
    }

    /**
     * How a principal of contracts' ACL catalog reaches the stack's Kafka: the bootstrap servers and its login, with
     * the password {@code stack up} made for it.
     */
    public Properties kafkaClientProperties(KafkaPrincipal principal) {
        Properties properties = new Properties();
        properties.putAll(new UserPasswords(stack.kafkaUsers())
                .login(principal)
                .clientProperties(ScramLogin.LOCAL_SECURITY_PROTOCOL));
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
        return properties;
    }

    /**
     * Properties of a consumer that reads from the beginning of its topics in a group of its own; keys as strings,
     * values as the raw CloudEvent data. Scenarios watch the bus as its operator does, as the super user.
     */
    public Properties kafkaConsumerProperties(String purpose) {
        Properties properties = kafkaClientProperties(KafkaPrincipal.ADMIN);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + purpose + "-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    /** A request to a service with the user's real Keycloak access token. */
    public RequestSpecification as(DemoUser user, Service service) {
        return anonymous(service).header("Authorization", "Bearer " + token(user));
    }

    /**
     * A request to one replica of a service (1 the first, 2 the second while {@link #startSecondReplicas()} runs it,
     * else the first) with the user's real Keycloak access token.
     */
    public RequestSpecification as(DemoUser user, Service service, int replica) {
        ServiceProcess process;
        synchronized (this) {
            process = replica == 2 && secondReplicas.containsKey(service)
                    ? secondReplicas.get(service)
                    : services.get(service);
        }
        return RestAssured.given()
                // A replica that waits on a database or broker away answers late or never: the caller gives up.
                .config(io.restassured.config.RestAssuredConfig.config()
                        .httpClient(io.restassured.config.HttpClientConfig.httpClientConfig()
                                .setParam("http.connection.timeout", 5_000)
                                .setParam("http.socket.timeout", 15_000)))
                .baseUri(process.baseUrl())
                .accept(ContentType.JSON)
                .contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token(user));
    }

    /** A request to a service without a token. */
    public RequestSpecification anonymous(Service service) {
        return RestAssured.given()
                .baseUri(service(service).baseUrl())
                .accept(ContentType.JSON)
                .contentType(ContentType.JSON);
    }

    /** An access token of a demo user from the realm, by the password grant of the client {@code meridian-cli}. */
    public synchronized String token(DemoUser user) {
        Token cached = tokens.get(user);
        if (cached != null && Instant.now().isBefore(cached.expires())) {
            return cached.value();
        }
        String form = "grant_type=password&client_id=meridian-cli&username=" + encode(user.username()) + "&password="
                + encode(user.password());
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.realmUrl() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "no token for " + user.username() + ": HTTP " + response.statusCode() + " " + response.body());
            }
            JsonNode body = JSON.readTree(response.body());
            // Renewed well before it expires, so that a token never lapses in the middle of a scenario.
            Instant expires = Instant.now().plusSeconds(body.path("expires_in").asLong(60) / 2);
            Token token = new Token(body.path("access_token").asText(), expires);
            tokens.put(user, token);
            return token.value();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Keycloak at " + stack.realmUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Registers every cluster of the simulated fleet with inventory, as an operator would from the simulator's
     * fleet file (one {@code POST /api/v1/clusters} each), once per JVM; later calls return the first answers.
     */
    public synchronized List<RegisteredCluster> registerFleet() {
        if (registeredFleet == null) {
            List<RegisteredCluster> answers = new ArrayList<>();
            for (Map<String, Object> registration : fleet.registrations()) {
                Response response = as(DemoUser.OPERATOR, Service.INVENTORY)
                        .body(registration)
                        .post("/api/v1/clusters");
                answers.add(new RegisteredCluster(
                        (String) registration.get("name"),
                        response.statusCode(),
                        response.body().asString()));
            }
            registeredFleet = List.copyOf(answers);
        }
        return registeredFleet;
    }

    /** Prints the last lines of every service's log, to explain a failed scenario. */
    public void printLogTails() {
        for (ServiceProcess service : Stream.concat(services.values().stream(), secondReplicas.values().stream())
                .toList()) {
            System.out.println("----- last lines of " + service.log() + (service.isAlive() ? "" : " (exited)"));
            System.out.println(service.logTail(30));
        }
        System.out.println("----- stack logs (kafka, postgres, keycloak) are in " + stack.logs());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void log(String message) {
        System.out.println("[system-under-test] " + message);
    }
}
