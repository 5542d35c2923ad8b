package io.meridian.contracts.kafka;

import io.meridian.contracts.Topic;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates every topic of the catalog and its dead-letter topic. Idempotent: an existing topic keeps its
 * configuration, except that a partition count below the wanted one is raised (never lowered, which Kafka
 * cannot do, and which would move keys between partitions anyway).
 */
public final class TopicBootstrap {

    private static final System.Logger LOG = System.getLogger(TopicBootstrap.class.getName());

    /** What the bootstrap did to one topic. */
    public enum Change {
        CREATED,
        PARTITIONS_INCREASED,
        UNCHANGED
    }

    /** The outcome for one topic: its name, what was done, and its partition count afterwards. */
    public record TopicResult(String topic, Change change, int partitions) {

        @Override
        public String toString() {
            return topic + " " + change.name().toLowerCase(Locale.ROOT) + " partitions=" + partitions;
        }
    }

    private final Admin admin;
    private final short replicationFactor;
    private final OptionalInt partitionsOverride;

    /**
     * @param replicationFactor replicas of every topic created (existing topics are not changed)
     * @param partitionsOverride when present, the partition count of every topic instead of the catalog's
     */
    public TopicBootstrap(Admin admin, short replicationFactor, OptionalInt partitionsOverride) {
        this.admin = Objects.requireNonNull(admin, "admin");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        partitionsOverride.ifPresent(p -> {
            if (p < 1) {
                throw new IllegalArgumentException("partition count must be at least 1, got " + p);
            }
        });
        this.replicationFactor = replicationFactor;
        this.partitionsOverride = partitionsOverride;
    }

    /** Every topic Meridian needs, dead-letter topics included, as it would be created. */
    public static List<NewTopic> plannedTopics(short replicationFactor, OptionalInt partitionsOverride) {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            int partitions = partitionsOverride.orElse(topic.partitions());
            topics.add(new NewTopic(topic.topicName(), partitions, replicationFactor).configs(configs(topic, false)));
            // Same partition count as the topic, so the partitioner puts a dead letter where its original was.
            topics.add(new NewTopic(topic.deadLetterTopicName(), partitions, replicationFactor)
                    .configs(configs(topic, true)));
        }
        return topics;
    }

    /** The topic configuration of a catalog topic or of its dead-letter topic. */
    public static Map<String, String> configs(Topic topic, boolean deadLetter) {
        Map<String, String> configs = new LinkedHashMap<>();
        if (deadLetter) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Topic.DEAD_LETTER_RETENTION.toMillis()));
        } else if (topic.compacted()) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            // Compaction keeps the latest record per key; time must never delete a snapshot nobody replaced.
            configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        } else {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            configs.put(
                    TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(topic.retention()
                            .orElseThrow(() -> new IllegalStateException(topic + " is neither compacted nor retained"))
                            .toMillis()));
        }
        return configs;
    }

    /**
     * Makes every topic exist with at least its wanted partitions.
     *
     * @return one result per topic, in catalog order, each topic followed by its dead-letter topic
     */
    public List<TopicResult> run() throws InterruptedException, ExecutionException {
        List<NewTopic> planned = plannedTopics(replicationFactor, partitionsOverride);
        Set<String> existing = admin.listTopics().names().get();

        List<NewTopic> missing =
                planned.stream().filter(t -> !existing.contains(t.name())).toList();
        Map<String, Change> changes = new LinkedHashMap<>();
        for (NewTopic topic : missing) {
            try {
                admin.createTopics(List.of(topic)).all().get();
                changes.put(topic.name(), Change.CREATED);
                LOG.log(
                        Level.INFO,
                        "created topic {0} with {1} partitions, replication factor {2}, {3}",
                        topic.name(),
                        topic.numPartitions(),
                        topic.replicationFactor(),
                        topic.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // Another bootstrap created it between our list and create: treat it as existing.
                LOG.log(Level.DEBUG, "topic {0} was created concurrently", topic.name());
            }
        }

        // Only topics that already existed can have too few partitions; ones just created may not be
        // in the broker's metadata yet, so describing them could fail spuriously.
        List<String> names = planned.stream()
                .map(NewTopic::name)
                .filter(name -> !changes.containsKey(name))
                .toList();
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(names).allTopicNames().get();
        Map<String, NewPartitions> increases = new LinkedHashMap<>();
        for (NewTopic topic : planned) {
            if (changes.containsKey(topic.name())) {
                continue;
            }
            int actual = descriptions.get(topic.name()).partitions().size();
            if (actual < topic.numPartitions()) {
                increases.put(topic.name(), NewPartitions.increaseTo(topic.numPartitions()));
                LOG.log(
                        Level.INFO,
                        "increasing partitions of topic {0} from {1} to {2}",
                        topic.name(),
                        actual,
                        topic.numPartitions());
            } else if (!changes.containsKey(topic.name())) {
                LOG.log(Level.DEBUG, "topic {0} exists with {1} partitions, left alone", topic.name(), actual);
            }
        }
        if (!increases.isEmpty()) {
            admin.createPartitions(increases).all().get();
        }

        List<TopicResult> results = new ArrayList<>();
        for (NewTopic topic : planned) {
            if (changes.containsKey(topic.name())) {
                results.add(new TopicResult(topic.name(), Change.CREATED, topic.numPartitions()));
                continue;
            }
            int actual = descriptions.get(topic.name()).partitions().size();
            if (increases.containsKey(topic.name())) {
                results.add(new TopicResult(topic.name(), Change.PARTITIONS_INCREASED, topic.numPartitions()));
            } else {
                results.add(
                        new TopicResult(topic.name(), changes.getOrDefault(topic.name(), Change.UNCHANGED), actual));
            }
        }
        return results;
    }

    /**
     * {@code --bootstrap-servers HOST:PORT [--command-config FILE] [--replication-factor N] [--partitions-override
     * N]}: creates the topics and prints one line per topic. FILE holds client settings, as for Kafka's own tools:
     * how the super user logs in on a broker that requires it. Exits 2 on bad arguments, 1 when Kafka fails.
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(
                    "usage: TopicBootstrap --bootstrap-servers HOST:PORT [--command-config FILE] [--replication-factor N]"
                            + " [--partitions-override N]");
            return 2;
        }
        Properties props;
        try {
            props = AclBootstrap.adminProperties(
                    arguments.bootstrapServers(), arguments.commandConfig(), "meridian-topic-bootstrap");
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        try (Admin admin = Admin.create(props)) {
            for (TopicResult result :
                    new TopicBootstrap(admin, arguments.replicationFactor(), arguments.partitionsOverride()).run()) {
                out.println(result);
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            err.println("topic bootstrap against " + arguments.bootstrapServers() + " failed: " + cause);
            return 1;
        }
    }

    /** The command line of {@link #main(String[])}. */
    record Arguments(
            String bootstrapServers, Path commandConfig, short replicationFactor, OptionalInt partitionsOverride) {

        static Arguments parse(String[] args) {
            String bootstrapServers = null;
            Path commandConfig = null;
            short replicationFactor = 1;
            OptionalInt partitionsOverride = OptionalInt.empty();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--bootstrap-servers" -> bootstrapServers = value;
                    case "--command-config" -> commandConfig = Path.of(value);
                    case "--replication-factor" -> replicationFactor = (short) positive(option, value);
                    case "--partitions-override" -> partitionsOverride = OptionalInt.of(positive(option, value));
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("--bootstrap-servers is required");
            }
            return new Arguments(bootstrapServers, commandConfig, replicationFactor, partitionsOverride);
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= Short.MAX_VALUE) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a positive number, got '" + value + "'");
        }
    }
}
