package io.meridian.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.Topic;
import io.meridian.contracts.kafka.AclBootstrap;
import io.meridian.contracts.kafka.AclBootstrap.PrincipalResult;
import io.meridian.contracts.kafka.KafkaPrincipal;
import io.meridian.contracts.kafka.ScramLogin;
import io.meridian.contracts.kafka.TopicBootstrap;
import io.meridian.contracts.kafka.UserPasswords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACL bootstrap against a real broker that authenticates clients (SASL) and authorizes them (StandardAuthorizer,
 * nothing allowed without an ACL), as the local stack's broker does: each principal can do what the catalog grants and
 * is refused the rest.
 */
class AclBootstrapBrokerTest {

    // The test kit's super user logs in with PLAIN; Meridian's principals with SCRAM-SHA-512, as everywhere else.
    private static final String SUPER_USER_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"plain-admin\" password=\"plain-admin-secret\";";

    @TempDir
    static Path home;

    private static KafkaClusterTestKit cluster;
    private static Admin admin;
    private static UserPasswords passwords;
    private static List<PrincipalResult> firstRun;

    @BeforeAll
    static void startBrokerAndBootstrap() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        // As in the local stack: the broker's own requests to the controller (registration, metadata)
                        // come as the super user, not as an anonymous principal the authorizer would refuse.
                        .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        .setBaseDirectory(Files.createTempDirectory("meridian-kafka-acl-"))
                        .build())
                .setConfigProp("sasl.enabled.mechanisms", "PLAIN," + ScramLogin.MECHANISM)
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("auto.create.topics.enable", "false")
                .setDeleteOnClose(true)
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        props.put(SaslConfigs.SASL_JAAS_CONFIG, SUPER_USER_JAAS);
        admin = Admin.create(props);
        new TopicBootstrap(admin, (short) 1, OptionalInt.empty()).run();
        passwords = new UserPasswords(home.resolve("users"));
        firstRun = new AclBootstrap(admin, passwords::ensure).run();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyPrincipalButTheSuperUserGetsAPrivatePasswordAndItsAcls() throws Exception {
        assertThat(firstRun)
                .extracting(PrincipalResult::principal)
                .containsExactlyInAnyOrder(
                        KafkaPrincipal.INVENTORY,
                        KafkaPrincipal.IDENTITY,
                        KafkaPrincipal.POLICY,
                        KafkaPrincipal.COST,
                        KafkaPrincipal.OBSERVABILITY,
                        KafkaPrincipal.PLACEMENT,
                        KafkaPrincipal.OPS_AUDIT,
                        KafkaPrincipal.BENCH);
        assertThat(firstRun).allSatisfy(r -> assertThat(r.aclsCreated()).isPositive());
        Path file = passwords.file(KafkaPrincipal.COST);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file, StandardCharsets.US_ASCII)).matches("[A-Za-z0-9]{32}");
        assertThat(Files.exists(passwords.file(KafkaPrincipal.ADMIN))).isFalse();
    }

    @Test
    void inventoryPublishesObservedObjectsWithAnIdempotentProducerAndNoClusterAcl() throws Exception {
        try (KafkaProducer<String, String> inventory = producer(KafkaPrincipal.INVENTORY)) {
            assertThat(inventory
                            .send(new ProducerRecord<>(Topic.RESOURCES.topicName(), "c1/apps/Deployment/ns/d", "{}"))
                            .get()
                            .offset())
                    .isNotNegative();
        }
    }

    @Test
    void costCannotDeclareADesiredBundle() {
        try (KafkaProducer<String, String> cost = producer(KafkaPrincipal.COST)) {
            assertThatThrownBy(
                            () -> cost.send(new ProducerRecord<>(Topic.DESIRED_POLICY.topicName(), "policy/c1", "{}"))
                                    .get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void anOwnerWritesItsOwnBundlesAndAuditRecordsButNotAnotherServicesOnes() throws Exception {
        try (KafkaProducer<String, String> identity = producer(KafkaPrincipal.IDENTITY)) {
            assertThat(identity.send(new ProducerRecord<>(Topic.DESIRED_IDENTITY.topicName(), "identity/c1", "{}"))
                            .get()
                            .offset())
                    .isNotNegative();
            assertThat(identity.send(new ProducerRecord<>(Topic.AUDIT_IDENTITY.topicName(), "Grant/g1", "{}"))
                            .get()
                            .offset())
                    .isNotNegative();
            for (Topic other : List.of(Topic.DESIRED_POLICY, Topic.DESIRED_PLACEMENT, Topic.AUDIT_POLICY)) {
                assertThatThrownBy(() -> identity.send(new ProducerRecord<>(other.topicName(), "policy/c1", "{}"))
                                .get())
                        .as(other.topicName())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void identityReadsTheFleetButNotTheDesiredBundles() throws Exception {
        try (KafkaProducer<String, String> inventory = producer(KafkaPrincipal.INVENTORY)) {
            inventory
                    .send(new ProducerRecord<>(Topic.CLUSTERS.topicName(), "c-" + UUID.randomUUID(), "{}"))
                    .get();
        }
        try (KafkaConsumer<String, String> identity = consumer(KafkaPrincipal.IDENTITY, "identity-acl-test")) {
            identity.subscribe(List.of(Topic.CLUSTERS.topicName()));
            Awaits.eventually(() -> assertThat(poll(identity).count()).isPositive());
        }
        try (KafkaConsumer<String, String> identity = consumer(KafkaPrincipal.IDENTITY, "identity-acl-test-2")) {
            identity.subscribe(List.of(Topic.DESIRED_IDENTITY.topicName()));
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 50; i++) {
                            poll(identity);
                        }
                    })
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aServiceCannotJoinAnotherServicesConsumerGroup() {
        try (KafkaConsumer<String, String> identity = consumer(KafkaPrincipal.IDENTITY, "inventory-connections")) {
            identity.subscribe(List.of(Topic.CLUSTERS.topicName()));
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 50; i++) {
                            poll(identity);
                        }
                    })
                    .isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        ScramLogin wrong = new ScramLogin(KafkaPrincipal.POLICY.userName(), "not-the-password");
        Map<String, Object> props = clientProperties(wrong);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        try (KafkaProducer<String, String> policy =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> policy.send(new ProducerRecord<>(Topic.COMPLIANCE.topicName(), "k", "{}"))
                            .get())
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aSecondRunChangesNothingAndAStrayAclOfACatalogPrincipalIsDeleted() throws Exception {
        AclBinding stray = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, Topic.DESIRED_POLICY.topicName(), PatternType.LITERAL),
                new AccessControlEntry(
                        KafkaPrincipal.OBSERVABILITY.principal(), "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        admin.createAcls(List.of(stray)).all().get();

        List<PrincipalResult> again = new AclBootstrap(admin, passwords::ensure).run();

        assertThat(again).allSatisfy(r -> assertThat(r.aclsCreated()).isZero());
        assertThat(again)
                .filteredOn(r -> r.principal() == KafkaPrincipal.OBSERVABILITY)
                .singleElement()
                .satisfies(r -> assertThat(r.aclsDeleted()).isEqualTo(1));
        assertThat(again)
                .filteredOn(r -> r.principal() != KafkaPrincipal.OBSERVABILITY)
                .allSatisfy(r -> assertThat(r.aclsDeleted()).isZero());
        assertThat(admin.describeAcls(stray.toFilter()).values().get()).isEmpty();
    }

    private static ConsumerRecords<String, String> poll(KafkaConsumer<String, String> consumer) {
        return consumer.poll(Duration.ofMillis(200));
    }

    private static KafkaProducer<String, String> producer(KafkaPrincipal principal) {
        Map<String, Object> props = clientProperties(passwords.login(principal));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KafkaPrincipal principal, String group) {
        Map<String, Object> props = clientProperties(passwords.login(principal));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static Map<String, Object> clientProperties(ScramLogin login) {
        Map<String, Object> props = new HashMap<>(login.clientProperties(ScramLogin.LOCAL_SECURITY_PROTOCOL));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return props;
    }
}
