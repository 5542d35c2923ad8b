package io.meridian.policy.persistence;

import io.meridian.eventing.desired.Declaration;
import io.meridian.eventing.desired.DesiredBundleDeclarer;
import io.meridian.eventing.desired.WantedBundle;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The policy service's bundles, one per cluster, declared in a transaction of their own through the fleet's {@link
 * DesiredBundleDeclarer}: a new generation when the content changed, a tombstone when nothing is wanted.
 */
@ApplicationScoped
public class DesiredBundleStore {

    /** The owner name inventory stamps on everything the policy service asks for. */
    public static final String OWNER = "policy";

    private final Mutiny.SessionFactory sessions;
    private final DesiredBundleDeclarer declarer;

    DesiredBundleStore(Mutiny.SessionFactory sessions, DesiredBundleDeclarer declarer) {
        this.sessions = sessions;
        this.declarer = declarer;
    }

    /** Declares {@code objects} for {@code clusterId}; none at all withdraws the bundle there. */
    public Uni<Declaration> declare(String clusterId, List<Map<String, Object>> objects) {
        return sessions.withTransaction(s -> declarer.declare(s, OWNER, WantedBundle.of(clusterId, objects)));
    }

    /** Withdraws the bundle of a cluster that left the fleet; a no-op once it is withdrawn. */
    public Uni<Declaration> retract(String clusterId) {
        return sessions.withTransaction(s -> declarer.retract(s, OWNER, clusterId));
    }
}
