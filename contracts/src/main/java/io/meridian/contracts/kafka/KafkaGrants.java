package io.meridian.contracts.kafka;

import io.meridian.contracts.Topic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What one principal may do on the bus: the catalog topics it reads and writes, the topics whose dead-letter topic
 * it writes (a consumer parks what it cannot process there), the consumer-group prefixes it joins, the transactional
 * ids of its transactional producers, and topic prefixes it owns whole (scratch topics it creates itself).
 *
 * <p>Idempotent producers need no cluster ACL: since Kafka 3.0 (KIP-679) the right to write any topic is enough.
 */
public record KafkaGrants(
        KafkaPrincipal principal,
        Set<Topic> reads,
        Set<Topic> writes,
        Set<Topic> deadLetterWrites,
        Set<String> groupPrefixes,
        Set<String> transactionalIds,
        Set<String> ownedTopicPrefixes) {

    /** Any host: the principal is what is authorized, not where it connects from. */
    private static final String ANY_HOST = "*";

    public KafkaGrants {
        Objects.requireNonNull(principal, "principal");
        reads = immutable(reads);
        writes = immutable(writes);
        deadLetterWrites = immutable(deadLetterWrites);
        groupPrefixes = Collections.unmodifiableSet(new TreeSet<>(groupPrefixes));
        transactionalIds = Collections.unmodifiableSet(new TreeSet<>(transactionalIds));
        ownedTopicPrefixes = Collections.unmodifiableSet(new TreeSet<>(ownedTopicPrefixes));
        if (principal.kind() == KafkaPrincipal.Kind.SUPER_USER
                && !(reads.isEmpty()
                        && writes.isEmpty()
                        && deadLetterWrites.isEmpty()
                        && groupPrefixes.isEmpty()
                        && transactionalIds.isEmpty()
                        && ownedTopicPrefixes.isEmpty())) {
            throw new IllegalArgumentException("a super user has no ACLs: " + principal);
        }
        for (String prefix : groupPrefixes) {
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("an empty group prefix would grant every group: " + principal);
            }
        }
        for (String prefix : ownedTopicPrefixes) {
            if (prefix.isBlank() || prefix.startsWith("fleet.")) {
                throw new IllegalArgumentException(
                        "an owned topic prefix must not cover the catalog's topics: '" + prefix + "'");
            }
        }
    }

    /** The names of every topic this principal may write, dead-letter topics included. */
    public Set<String> writtenTopicNames() {
        Set<String> names = new TreeSet<>();
        writes.forEach(t -> names.add(t.topicName()));
        deadLetterWrites.forEach(t -> names.add(t.deadLetterTopicName()));
        return Collections.unmodifiableSet(names);
    }

    /** The names of every topic this principal may read. */
    public Set<String> readTopicNames() {
        Set<String> names = new TreeSet<>();
        reads.forEach(t -> names.add(t.topicName()));
        return Collections.unmodifiableSet(names);
    }

    /**
     * The ACLs that allow exactly these grants: READ or WRITE on each literal topic with DESCRIBE (which READ and
     * WRITE imply anyway; it is spelled out so that the ACLs read like the catalog), READ on each group prefix,
     * WRITE and DESCRIBE on each transactional id, and CREATE, READ, WRITE and DESCRIBE on each owned topic prefix.
     */
    public List<AclBinding> aclBindings() {
        Set<AclBinding> bindings = new LinkedHashSet<>();
        for (String topic : readTopicNames()) {
            bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        for (String topic : writtenTopicNames()) {
            bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        for (String prefix : groupPrefixes) {
            bindings.add(allow(ResourceType.GROUP, prefix, PatternType.PREFIXED, AclOperation.READ));
        }
        for (String id : transactionalIds) {
            bindings.add(allow(ResourceType.TRANSACTIONAL_ID, id, PatternType.LITERAL, AclOperation.WRITE));
            bindings.add(allow(ResourceType.TRANSACTIONAL_ID, id, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        for (String prefix : ownedTopicPrefixes) {
            for (AclOperation operation :
                    List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
                bindings.add(allow(ResourceType.TOPIC, prefix, PatternType.PREFIXED, operation));
            }
        }
        return List.copyOf(new ArrayList<>(bindings));
    }

    private AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal.principal(), ANY_HOST, operation, AclPermissionType.ALLOW));
    }

    private static Set<Topic> immutable(Set<Topic> topics) {
        return topics.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(topics));
    }
}
