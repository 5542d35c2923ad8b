package io.meridian.contracts.kafka;

import java.util.Arrays;
import java.util.Optional;

/**
 * A Kafka identity of Meridian: each service authenticates as its own user, named like the service, and the tools
 * have users of their own. What each may do is in {@link AclCatalog}.
 */
public enum KafkaPrincipal {
    INVENTORY("inventory", Kind.SERVICE),
    IDENTITY("identity", Kind.SERVICE),
    POLICY("policy", Kind.SERVICE),
    COST("cost", Kind.SERVICE),
    OBSERVABILITY("observability", Kind.SERVICE),
    /** The placement service: puts workloads on clusters, rolls them out, fails them over. */
    PLACEMENT("placement", Kind.SERVICE),
    /** The super user of a local stack: formats the broker, creates topics, users and ACLs. */
    ADMIN("admin", Kind.SUPER_USER),
    /** The ops team's CLI ({@code audit tail}): reads the audit trail, nothing else. */
    OPS_AUDIT("ops-audit", Kind.TOOL),
    /** The benchmarks ({@code tools/bench}), which stand in for producers on a throwaway local stack. */
    BENCH("bench", Kind.TOOL);

    /** What a principal is for. */
    public enum Kind {
        /** A Meridian service; its user name is its {@code quarkus.application.name}. */
        SERVICE,
        /** A tool run by people or tests. */
        TOOL,
        /** Kafka's {@code super.users}: no ACL applies to it. */
        SUPER_USER
    }

    private final String userName;
    private final Kind kind;

    KafkaPrincipal(String userName, Kind kind) {
        this.userName = userName;
        this.kind = kind;
    }

    /** The SCRAM user name, e.g. {@code inventory}. */
    public String userName() {
        return userName;
    }

    /** The principal as Kafka's authorizer and ACLs write it, e.g. {@code User:inventory}. */
    public String principal() {
        return "User:" + userName;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether deployments outside a developer's machine have this principal: every service and the ops CLI. The
     * bench user exists only in local stacks, and the super user of a deployment is its operator's, not ours.
     */
    public boolean deployed() {
        return this != ADMIN && this != BENCH;
    }

    /** The principal of a SCRAM user name, if it is one of Meridian's. */
    public static Optional<KafkaPrincipal> byUserName(String userName) {
        return Arrays.stream(values()).filter(p -> p.userName.equals(userName)).findFirst();
    }
}
