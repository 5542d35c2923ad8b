package io.meridian.bench;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The benchmarks' isolated local stack (its own {@code .meridian/bench} home and {@link StackPorts#BENCH} ports), so
 * figures never mix with a developer's stack or demo and every run starts from empty topics and tables; and the
 * packaged services started on it as in production.
 */
final class BenchStack {

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(90);

    /** The REST port of each service on the bench stack, numbered as the local demo numbers them. */
    static final Map<String, Integer> PORTS = Map.of(
            "inventory", 18081,
            "identity", 18082,
            "policy", 18083,
            "cost", 18084,
            "observability", 18085,
            "placement", 18086);

    private final Path repo;
    private final LocalStack stack;

    BenchStack(Path repo) {
        this.repo = repo;
        this.stack =
                new LocalStack(repo, repo.resolve(".meridian/bench"), StackPorts.BENCH, LocalStack.MavenLock.MACHINE);
    }

    /** Starts from scratch: stops a previous bench stack and deletes its data. */
    void freshUp() {
        stack.start();
    }

    void down() {
        stack.stop();
    }

    /**
     * How the benchmarks reach this stack's Kafka: the bootstrap servers and the login of the {@code bench} principal
     * of contracts' ACL catalog (it plays the producers the benchmark does not start and watches the services'
     * answers); a fresh copy for each client.
     */
    Properties kafka() {
        Properties properties = new Properties();
        properties.putAll(new UserPasswords(stack.kafkaUsers())
                .login(KafkaPrincipal.BENCH)
                .clientProperties(ScramLogin.LOCAL_SECURITY_PROTOCOL));
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        return properties;
    }

    String keycloak() {
        return stack.keycloakUrl();
    }

    /**
     * Starts a packaged service on this stack and waits until it is ready; its log is {@code
     * .meridian/bench/logs/<service>.log}.
     *
     * @param port the port of its REST API; its management interface (health, metrics) takes a free port
     * @param config the service's own properties, besides those pointing it at the stack; plain-text logs for all
     */
    ServiceProcess start(String service, int port, Map<String, String> config) {
        Map<String, String> properties = new LinkedHashMap<>(stack.serviceProperties());
        properties.put("quarkus.log.console.json.enabled", "false");
        properties.putAll(config);
        // The service logs in to Kafka as its own principal, as in production.
        ServiceProcess process = ServiceProcess.start(new ServiceLaunch(
                repo,
                service,
                port,
                FreePorts.next(),
                jvmOptions(System.getenv(), service),
                properties,
                stack.serviceKafkaEnvironment(service),
                stack.logs()));
        try {
            process.awaitReady(SERVICE_START_TIMEOUT);
        } catch (RuntimeException notReady) {
            process.close();
            throw notReady;
        }
        return process;
    }

    /**
     * Starts the simulated fleet in this JVM, its files under {@code .meridian/bench/fleet}, its control API on a free
     * port, and its progress printed.
     */
    Fleet fleet(FleetOptions options) {
        return Fleet.start(
                options.withControlPort(0).withOutDir(repo.resolve(".meridian/bench/fleet")),
                line -> System.out.println("fleet-sim: " + line));
    }

    /** Starts a packaged service on its bench port with the settings it cannot start without and no others. */
    ServiceProcess start(String service) {
        return start(service, PORTS.get(service), required(service));
    }

    /**
     * What a service cannot start without on the bench stack: inventory a credential key (a fresh random one: the
     * stack starts empty), identity the realm's dev-only secret of its client, whose service account looks subjects
     * up. Callers add their own settings to it.
     */
    static Map<String, String> required(String service) {
        return switch (service) {
            case "inventory" ->
                Map.of(
                        "meridian.inventory.credentials.active-key-id",
                        "bench",
                        "meridian.inventory.credentials.keys.bench",
                        Base64.getEncoder()
                                .encodeToString(UUID.randomUUID()
                                        .toString()
                                        .substring(0, 32)
                                        .getBytes(StandardCharsets.US_ASCII)));
            case "identity" -> Map.of("quarkus.oidc.credentials.secret", "meridian-identity-secret");
            default -> Map.of();
        };
    }

    /**
     * The JVM options of a service: none of the bench's own, so the JVM picks its collector (G1 on this machine) and
     * heap as a service runs by default. Parallel GC, used before, stopped inventory for 250-800 ms at a time once it
     * held a 100-cluster fleet: pauses that showed as the slowest rounds of the bundle benchmark.
     * {@code BENCH_SERVICE_JAVA_OPTS} applies to every service, e.g. {@code
     * -XX:StartFlightRecording=filename=/tmp/%p.jfr} to profile a run; {@code BENCH_<SERVICE>_JAVA_OPTS}
     * ({@code BENCH_INVENTORY_JAVA_OPTS}, ...) to one, after the former, e.g. the heap and collector its Kubernetes
     * manifest gives it.
     */
    static List<String> jvmOptions(Map<String, String> environment, String service) {
        List<String> options = new ArrayList<>();
        for (String variable :
                List.of("BENCH_SERVICE_JAVA_OPTS", "BENCH_" + service.toUpperCase(Locale.ROOT) + "_JAVA_OPTS")) {
            String extra = environment.get(variable);
            if (extra != null && !extra.isBlank()) {
                options.addAll(List.of(extra.trim().split("\\s+")));
            }
        }
        return options;
    }
}
