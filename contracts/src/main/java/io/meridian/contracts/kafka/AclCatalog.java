package io.meridian.contracts.kafka;

import static io.meridian.contracts.Topic.ACCESS;
import static io.meridian.contracts.Topic.ALERTS;
import static io.meridian.contracts.Topic.AUDIT_COST;
import static io.meridian.contracts.Topic.AUDIT_IDENTITY;
import static io.meridian.contracts.Topic.AUDIT_INVENTORY;
import static io.meridian.contracts.Topic.AUDIT_OBSERVABILITY;
import static io.meridian.contracts.Topic.AUDIT_PLACEMENT;
import static io.meridian.contracts.Topic.AUDIT_POLICY;
import static io.meridian.contracts.Topic.CLUSTERS;
import static io.meridian.contracts.Topic.COMPLIANCE;
import static io.meridian.contracts.Topic.COST;
import static io.meridian.contracts.Topic.DESIRED_IDENTITY;
import static io.meridian.contracts.Topic.DESIRED_PLACEMENT;
import static io.meridian.contracts.Topic.DESIRED_POLICY;
import static io.meridian.contracts.Topic.METRICS;
import static io.meridian.contracts.Topic.PLACEMENT;
import static io.meridian.contracts.Topic.RESOURCES;
import static io.meridian.contracts.Topic.SYNC;

import io.meridian.contracts.Topic;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may do what on Meridian's Kafka: the one list of every principal's grants, from which the local stack's ACLs
 * ({@link AclBootstrap}) and the deployment's {@code KafkaUser}s are made, and against which the services'
 * configuration is tested.
 *
 * <p>The rules it keeps (issue 17, ADR 0010), among the principals a deployment has: inventory alone reads the desired
 * topics and writes {@code fleet.clusters.v1}, {@code fleet.resources.v1} and {@code fleet.sync.v1}; each owner
 * (identity, policy, placement) writes its own desired topic and no other, so the topic a bundle arrives on names its
 * owner; each service writes its own audit topic and no other; every other topic has the one writer the topic table
 * names. Each service consumes in groups named after itself and writes the dead-letter topics of what it reads. The
 * bench, which exists only in local stacks, stands in for producers it does not start.
 */
public final class AclCatalog {

    private static final Map<KafkaPrincipal, KafkaGrants> GRANTS = new EnumMap<>(KafkaPrincipal.class);

    static {
        service(
                KafkaPrincipal.INVENTORY,
                union(reads(CLUSTERS, RESOURCES), Topic.desired()),
                writes(CLUSTERS, RESOURCES, SYNC, AUDIT_INVENTORY));
        service(
                KafkaPrincipal.IDENTITY,
                reads(CLUSTERS, RESOURCES, SYNC),
                writes(DESIRED_IDENTITY, ACCESS, AUDIT_IDENTITY));
        service(KafkaPrincipal.POLICY, reads(CLUSTERS, RESOURCES), writes(DESIRED_POLICY, COMPLIANCE, AUDIT_POLICY));
        service(KafkaPrincipal.COST, reads(CLUSTERS, RESOURCES, METRICS), writes(COST, AUDIT_COST));
        // Observability reads fleet.placement.v1 for its placement alerts (RolloutHalted, FailoverSuppressed,
        // WorkloadDegraded), every service's audit topic for the audit index, and its own fleet.alerts.v1 back for the
        // notifications it sends people.
        service(
                KafkaPrincipal.OBSERVABILITY,
                union(reads(CLUSTERS, COMPLIANCE, SYNC, COST, PLACEMENT, METRICS, ALERTS), Topic.audit()),
                writes(METRICS, ALERTS, AUDIT_OBSERVABILITY));
        // Placement reads the fleet (clusters, and nodes, pods and workload status from the observed objects), the sync
        // reports of its own bundles and the clusters' rates; it declares workload bundles and publishes its decisions
        // and rollout and failover events.
        service(
                KafkaPrincipal.PLACEMENT,
                reads(CLUSTERS, RESOURCES, SYNC, COST, PLACEMENT),
                writes(DESIRED_PLACEMENT, PLACEMENT, AUDIT_PLACEMENT));

        put(new KafkaGrants(KafkaPrincipal.ADMIN, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of()));
        // The CLI's 'audit tail' reads every service's trail as it happens; it never writes, not even a dead letter.
        put(new KafkaGrants(
                KafkaPrincipal.OPS_AUDIT,
                EnumSet.copyOf(Topic.audit()),
                Set.of(),
                Set.of(),
                Set.of(groupPrefix(KafkaPrincipal.OPS_AUDIT)),
                Set.of(),
                Set.of()));
        // The benchmarks play the producers they do not start (inventory's registry and observed objects, an owner's
        // bundles) and watch what the services answer (alerts too: the notification bench times them); their raw-Kafka
        // baseline creates its own 'bench.' topics.
        put(new KafkaGrants(
                KafkaPrincipal.BENCH,
                union(reads(SYNC, RESOURCES, METRICS, COMPLIANCE, ALERTS), Topic.desired()),
                union(writes(CLUSTERS, RESOURCES), Topic.desired()),
                Set.of(),
                Set.of(groupPrefix(KafkaPrincipal.BENCH)),
                Set.of(),
                Set.of("bench.")));

        for (KafkaPrincipal principal : KafkaPrincipal.values()) {
            if (!GRANTS.containsKey(principal)) {
                throw new IllegalStateException("no grants for " + principal);
            }
        }
    }

    private AclCatalog() {}

    /** The grants of one principal. */
    public static KafkaGrants grants(KafkaPrincipal principal) {
        return GRANTS.get(principal);
    }

    /** Every principal's grants, in {@link KafkaPrincipal} order. */
    public static List<KafkaGrants> all() {
        return List.copyOf(GRANTS.values());
    }

    /** The grants of the principals that deployments have (see {@link KafkaPrincipal#deployed()}). */
    public static List<KafkaGrants> deployed() {
        return GRANTS.values().stream().filter(g -> g.principal().deployed()).toList();
    }

    /** The principals that may read a topic. */
    public static Set<KafkaPrincipal> readersOf(Topic topic) {
        return principalsWhere(g -> g.reads().contains(topic));
    }

    /** The principals that may write a topic (not its dead-letter topic). */
    public static Set<KafkaPrincipal> writersOf(Topic topic) {
        return principalsWhere(g -> g.writes().contains(topic));
    }

    /** The consumer-group prefix of a principal: its user name and a dash, e.g. {@code inventory-}. */
    public static String groupPrefix(KafkaPrincipal principal) {
        return principal.userName() + "-";
    }

    private static Set<KafkaPrincipal> principalsWhere(java.util.function.Predicate<KafkaGrants> test) {
        return GRANTS.values().stream()
                .filter(test)
                .map(KafkaGrants::principal)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(KafkaPrincipal.class)));
    }

    /** A service: it dead-letters what it cannot process of everything it reads, in groups named after it. */
    private static void service(KafkaPrincipal principal, Set<Topic> reads, Set<Topic> writes) {
        put(new KafkaGrants(principal, reads, writes, reads, Set.of(groupPrefix(principal)), Set.of(), Set.of()));
    }

    private static void put(KafkaGrants grants) {
        GRANTS.put(grants.principal(), grants);
    }

    private static Set<Topic> reads(Topic... topics) {
        return EnumSet.copyOf(Arrays.asList(topics));
    }

    private static Set<Topic> writes(Topic... topics) {
        return EnumSet.copyOf(Arrays.asList(topics));
    }

    private static Set<Topic> union(Set<Topic> topics, List<Topic> more) {
        Set<Topic> all = EnumSet.copyOf(topics);
        all.addAll(more);
        return all;
    }
}
