package io.meridian.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The ACL catalog against the services' real configuration (their {@code application.properties}, read from the
 * source tree) and against the rules of issue 17.
 */
class AclCatalogTest {

    private static final Path SERVICES = Path.of("..", "services");
    private static final Pattern CHANNEL_KEY = Pattern.compile(
            "mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(topic|topics|group\\.id|dead-letter-queue\\.topic)");

    /** What a service's channels use, as its application.properties says. */
    private record ChannelUse(Set<String> reads, Set<String> writes, Set<String> deadLetters, Set<String> groups) {}

    @Test
    void everyServiceHasAPrincipalAndEveryServicePrincipalHasAService() throws IOException {
        Set<String> services;
        try (Stream<Path> dirs = Files.list(SERVICES)) {
            services = dirs.filter(d -> Files.isRegularFile(properties(d)))
                    .map(d -> d.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> servicePrincipals = Arrays.stream(KafkaPrincipal.values())
                .filter(p -> p.kind() == KafkaPrincipal.Kind.SERVICE)
                .map(KafkaPrincipal::userName)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(services).contains("placement");
        assertThat(servicePrincipals).containsExactlyInAnyOrderElementsOf(services);
    }

    @Test
    void eachServiceReadsExactlyTheTopicsItsChannelsConsume() throws IOException {
        for (KafkaPrincipal service : existingServices()) {
            ChannelUse use = channelUse(service);
            KafkaGrants grants = AclCatalog.grants(service);

            assertThat(grants.readTopicNames()).as(service + " reads").isEqualTo(use.reads());
            assertThat(grants.writtenTopicNames())
                    .as(service + " outgoing channels")
                    .containsAll(use.writes());
        }
    }

    @Test
    void eachServiceMayWriteTheDeadLetterTopicsItsChannelsUse() throws IOException {
        for (KafkaPrincipal service : existingServices()) {
            ChannelUse use = channelUse(service);

            assertThat(use.deadLetters()).allSatisfy(topic -> assertThat(topic).endsWith(Topic.DEAD_LETTER_SUFFIX));
            assertThat(AclCatalog.grants(service).writtenTopicNames())
                    .as(service + " dead-letter topics")
                    .containsAll(use.deadLetters());
        }
    }

    @Test
    void eachServiceConsumesInGroupsOfItsOwnPrefix() throws IOException {
        for (KafkaPrincipal service : existingServices()) {
            ChannelUse use = channelUse(service);
            Set<String> prefixes = AclCatalog.grants(service).groupPrefixes();

            assertThat(prefixes).containsExactly(service.userName() + "-");
            assertThat(use.groups())
                    .as(service + " group ids")
                    .isNotEmpty()
                    .allSatisfy(group -> assertThat(prefixes).anySatisfy(group::startsWith));
        }
    }

    @Test
    void eachEventTypeIsWrittenByTheServiceItsTypeNamesAndByNoOtherService() {
        Pattern producer = Pattern.compile("io\\.meridian\\.([a-z]+)\\..*");
        for (EventType type : EventType.values()) {
            Matcher matcher = producer.matcher(type.type());
            assertThat(matcher.matches()).isTrue();
            for (Topic topic : type.topics()) {
                Set<KafkaPrincipal> serviceWriters = services(AclCatalog.writersOf(topic));
                // A per-producer topic (desired bundles, audit records) is written by its producer alone; the rules
                // below check which producers have one.
                String writer = topic.producer().orElseGet(() -> matcher.group(1));
                KafkaPrincipal named = KafkaPrincipal.byUserName(writer)
                        .orElseThrow(() -> new AssertionError(type + " on " + topic + " names no principal"));
                assertThat(serviceWriters).as(type.type() + " on " + topic).containsExactly(named);
            }
        }
    }

    @Test
    void inventoryAloneReadsDesiredBundlesAndWritesObservedStateAndSyncReports() {
        assertThat(Topic.desired())
                .allSatisfy(desired -> assertThat(deployed(AclCatalog.readersOf(desired)))
                        .as(desired.topicName())
                        .containsExactly(KafkaPrincipal.INVENTORY));
        assertThat(deployed(AclCatalog.writersOf(Topic.RESOURCES))).containsExactly(KafkaPrincipal.INVENTORY);
        assertThat(deployed(AclCatalog.writersOf(Topic.SYNC))).containsExactly(KafkaPrincipal.INVENTORY);
        assertThat(deployed(AclCatalog.writersOf(Topic.CLUSTERS))).containsExactly(KafkaPrincipal.INVENTORY);
    }

    @Test
    void eachOwnerWritesItsOwnDesiredTopicAndNoOtherOwnersOne() {
        assertThat(Topic.desired())
                .containsExactly(Topic.DESIRED_IDENTITY, Topic.DESIRED_POLICY, Topic.DESIRED_PLACEMENT)
                .extracting(Topic::topicName)
                .containsExactly("fleet.desired.identity.v1", "fleet.desired.policy.v1", "fleet.desired.placement.v1");
        for (KafkaPrincipal owner : List.of(KafkaPrincipal.IDENTITY, KafkaPrincipal.POLICY, KafkaPrincipal.PLACEMENT)) {
            Topic own = Topic.desiredFor(owner.userName()).orElseThrow();
            assertThat(deployed(AclCatalog.writersOf(own))).as(own.topicName()).containsExactly(owner);
            assertThat(AclCatalog.grants(owner).writes())
                    .as(owner + " writes")
                    .filteredOn(t -> t.family().equals(Optional.of(Topic.Family.DESIRED)))
                    .containsExactly(own);
        }
        for (KafkaPrincipal other :
                List.of(KafkaPrincipal.INVENTORY, KafkaPrincipal.COST, KafkaPrincipal.OBSERVABILITY)) {
            assertThat(Topic.desiredFor(other.userName())).isEmpty();
            assertThat(AclCatalog.grants(other).writtenTopicNames())
                    .noneMatch(name -> name.startsWith("fleet.desired.") && !name.endsWith(Topic.DEAD_LETTER_SUFFIX));
        }
        assertThat(AclCatalog.grants(KafkaPrincipal.IDENTITY).aclBindings())
                .noneMatch(b -> b.pattern().name().equals("fleet.desired.policy.v1")
                        || b.pattern().name().equals("fleet.desired.placement.v1"));
    }

    @Test
    void placementReadsTheFleetItsSyncReportsAndRatesAndAloneWritesPlacementEvents() {
        KafkaGrants placement = AclCatalog.grants(KafkaPrincipal.PLACEMENT);

        // It reads its own fleet.placement.v1 too: the partitions assigned to a replica are the workloads it owns.
        assertThat(placement.reads())
                .containsExactlyInAnyOrder(Topic.CLUSTERS, Topic.RESOURCES, Topic.SYNC, Topic.COST, Topic.PLACEMENT);
        assertThat(placement.writtenTopicNames())
                .containsExactlyInAnyOrder(
                        "fleet.desired.placement.v1",
                        "fleet.placement.v1",
                        "fleet.audit.placement.v1",
                        "fleet.clusters.v1.dlq",
                        "fleet.resources.v1.dlq",
                        "fleet.sync.v1.dlq",
                        "fleet.cost.v1.dlq",
                        "fleet.placement.v1.dlq");
        assertThat(placement.groupPrefixes()).containsExactly("placement-");
        assertThat(AclCatalog.writersOf(Topic.PLACEMENT)).containsExactly(KafkaPrincipal.PLACEMENT);
        // Its decisions and rollout and failover facts feed observability's placement alerts.
        assertThat(services(AclCatalog.readersOf(Topic.PLACEMENT)))
                .containsExactlyInAnyOrder(KafkaPrincipal.OBSERVABILITY, KafkaPrincipal.PLACEMENT);
        assertThat(AclCatalog.readersOf(Topic.COST)).contains(KafkaPrincipal.PLACEMENT);
        assertThat(AclCatalog.grants(KafkaPrincipal.COST).readTopicNames()).doesNotContain("fleet.placement.v1");
    }

    @Test
    void eachServiceWritesOnlyItsOwnAuditTopicAndTheOpsCliAndTheIndexReadThemAll() {
        Set<KafkaPrincipal> services = services(EnumSet.allOf(KafkaPrincipal.class));
        assertThat(Topic.audit()).hasSameSizeAs(services);
        for (KafkaPrincipal service : services) {
            Topic own = Topic.auditFor(service.userName()).orElseThrow();
            assertThat(own.topicName()).isEqualTo("fleet.audit." + service.userName() + ".v1");
            assertThat(AclCatalog.writersOf(own)).as(own.topicName()).containsExactly(service);
            assertThat(AclCatalog.grants(service).writes())
                    .as(service + " writes")
                    .filteredOn(t -> t.family().equals(Optional.of(Topic.Family.AUDIT)))
                    .containsExactly(own);
        }
        assertThat(AclCatalog.readersOf(Topic.AUDIT_POLICY))
                .containsExactlyInAnyOrder(KafkaPrincipal.OBSERVABILITY, KafkaPrincipal.OPS_AUDIT);
        assertThat(AclCatalog.grants(KafkaPrincipal.OBSERVABILITY).reads()).containsAll(Topic.audit());
        KafkaGrants ops = AclCatalog.grants(KafkaPrincipal.OPS_AUDIT);
        assertThat(ops.reads()).containsExactlyInAnyOrderElementsOf(Topic.audit());
        assertThat(ops.writtenTopicNames()).isEmpty();
        assertThat(ops.aclBindings())
                .allSatisfy(b -> assertThat(b.entry().operation()).isIn(AclOperation.READ, AclOperation.DESCRIBE));
    }

    @Test
    void observabilityAloneWritesAlertsAndReadsThemBackForNotifications() {
        assertThat(AclCatalog.writersOf(Topic.ALERTS)).containsExactly(KafkaPrincipal.OBSERVABILITY);
        // Its notifier consumes the alert lifecycle it announces, and dead-letters what it cannot read.
        assertThat(services(AclCatalog.readersOf(Topic.ALERTS))).containsExactly(KafkaPrincipal.OBSERVABILITY);
        assertThat(AclCatalog.grants(KafkaPrincipal.OBSERVABILITY).writtenTopicNames())
                .contains("fleet.alerts.v1.dlq");
    }

    @Test
    void theBenchExistsOnlyInLocalStacksAndTheSuperUserHasNoAcls() {
        assertThat(AclCatalog.deployed())
                .extracting(KafkaGrants::principal)
                .doesNotContain(KafkaPrincipal.BENCH, KafkaPrincipal.ADMIN)
                .contains(KafkaPrincipal.OPS_AUDIT);
        assertThat(AclCatalog.grants(KafkaPrincipal.ADMIN).aclBindings()).isEmpty();
    }

    @Test
    void aclsAllowOnlyNamedResourcesAndNeverAWildcardTheClusterOrAll() {
        for (KafkaGrants grants : AclCatalog.all()) {
            for (AclBinding binding : grants.aclBindings()) {
                assertThat(binding.entry().principal())
                        .isEqualTo(grants.principal().principal());
                assertThat(binding.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
                assertThat(binding.entry().operation()).isNotEqualTo(AclOperation.ALL);
                assertThat(binding.pattern().resourceType()).isNotEqualTo(ResourceType.CLUSTER);
                assertThat(binding.pattern().name()).isNotEqualTo("*");
                if (binding.pattern().resourceType() == ResourceType.TOPIC
                        && binding.pattern().name().startsWith("fleet.")) {
                    assertThat(binding.pattern().patternType())
                            .as("catalog topics are granted by exact name")
                            .isEqualTo(PatternType.LITERAL);
                }
            }
        }
    }

    @Test
    void aServiceGetsReadAndDescribeOnWhatItReadsAndWriteOnWhatItWrites() {
        List<AclBinding> identity = AclCatalog.grants(KafkaPrincipal.IDENTITY).aclBindings();

        assertThat(operationsOn(identity, "fleet.clusters.v1")).containsExactlyInAnyOrder("READ", "DESCRIBE");
        assertThat(operationsOn(identity, "fleet.clusters.v1.dlq")).containsExactlyInAnyOrder("WRITE", "DESCRIBE");
        assertThat(operationsOn(identity, "fleet.desired.identity.v1")).containsExactlyInAnyOrder("WRITE", "DESCRIBE");
        assertThat(operationsOn(identity, "fleet.desired.policy.v1")).isEmpty();
        assertThat(operationsOn(identity, "fleet.audit.identity.v1")).containsExactlyInAnyOrder("WRITE", "DESCRIBE");
        assertThat(operationsOn(identity, "fleet.audit.policy.v1")).isEmpty();
        assertThat(operationsOn(identity, "fleet.compliance.v1")).isEmpty();
        assertThat(identity)
                .filteredOn(b -> b.pattern().resourceType() == ResourceType.GROUP)
                .singleElement()
                .satisfies(b -> {
                    assertThat(b.pattern().name()).isEqualTo("identity-");
                    assertThat(b.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
                    assertThat(b.entry().operation()).isEqualTo(AclOperation.READ);
                });
    }

    @Test
    void grantsRefuseABroadGroupOrTopicPrefix() {
        assertThatThrownBy(() -> new KafkaGrants(
                        KafkaPrincipal.BENCH, Set.of(), Set.of(), Set.of(), Set.of(""), Set.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KafkaGrants(
                        KafkaPrincipal.BENCH, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of("fleet.")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KafkaGrants(
                        KafkaPrincipal.ADMIN,
                        Set.of(Topic.AUDIT_INVENTORY),
                        Set.of(),
                        Set.of(),
                        Set.of(),
                        Set.of(),
                        Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Set<String> operationsOn(List<AclBinding> bindings, String topic) {
        return bindings.stream()
                .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC
                        && b.pattern().name().equals(topic))
                .map(b -> b.entry().operation().name())
                .collect(Collectors.toSet());
    }

    private static List<KafkaPrincipal> existingServices() {
        List<KafkaPrincipal> existing = new ArrayList<>();
        for (KafkaPrincipal principal : KafkaPrincipal.values()) {
            if (principal.kind() == KafkaPrincipal.Kind.SERVICE
                    && Files.isRegularFile(properties(SERVICES.resolve(principal.userName())))) {
                existing.add(principal);
            }
        }
        assertThat(existing)
                .as("services found under " + SERVICES.toAbsolutePath())
                .hasSizeGreaterThan(3);
        return existing;
    }

    private static Path properties(Path serviceDir) {
        return serviceDir.resolve("src/main/resources/application.properties");
    }

    /** The channels of a service's application.properties (test-profile lines left out: they are not deployed). */
    private static ChannelUse channelUse(KafkaPrincipal service) throws IOException {
        Properties properties = new Properties();
        try (Reader reader =
                Files.newBufferedReader(properties(SERVICES.resolve(service.userName())), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Set<String> reads = new TreeSet<>();
        Set<String> writes = new TreeSet<>();
        Set<String> deadLetters = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%test.")) {
                continue;
            }
            Matcher matcher = CHANNEL_KEY.matcher(key.replaceFirst("^%[a-z]+\\.", ""));
            if (!matcher.matches()) {
                continue;
            }
            String value = properties.getProperty(key).strip();
            boolean incoming = matcher.group(1).equals("incoming");
            switch (matcher.group(3)) {
                case "topic", "topics" ->
                    Arrays.stream(value.split(",")).map(String::strip).forEach(incoming ? reads::add : writes::add);
                case "group.id" -> groups.add(value);
                default -> deadLetters.add(value);
            }
        }
        return new ChannelUse(reads, writes, deadLetters, groups);
    }

    private static Set<KafkaPrincipal> services(Set<KafkaPrincipal> principals) {
        return principals.stream()
                .filter(p -> p.kind() == KafkaPrincipal.Kind.SERVICE)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(KafkaPrincipal.class)));
    }

    private static Set<KafkaPrincipal> deployed(Set<KafkaPrincipal> principals) {
        return principals.stream()
                .filter(KafkaPrincipal::deployed)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(KafkaPrincipal.class)));
    }
}
