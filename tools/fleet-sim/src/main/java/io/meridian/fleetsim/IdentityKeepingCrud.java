package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * The fabric8 CRUD store, except that an object the simulator itself creates keeps the UID and creation time it was
 * generated with. The mock server would otherwise stamp a global sequential UID and "now" on every create, which
 * breaks determinism across parallel seeding and makes a fleet look a minute old.
 */
final class IdentityKeepingCrud extends KubernetesCrudDispatcher {

    private static final ThreadLocal<Identity> PENDING = new ThreadLocal<>();

    IdentityKeepingCrud() {
        super(List.of());
    }

    /** Runs a create during which the created object keeps {@code uid} and {@code creationTimestamp}. */
    static <T> T keeping(String uid, String creationTimestamp, Supplier<T> create) {
        if (uid == null) {
            return create.get();
        }
        PENDING.set(new Identity(uid, creationTimestamp));
        try {
            return create.get();
        } finally {
            PENDING.remove();
        }
    }

    @Override
    public void processEvent(
            String path,
            AttributeSet pathAttributes,
            AttributeSet oldAttributes,
            GenericKubernetesResource resource,
            String newState) {
        Identity identity = PENDING.get();
        // oldAttributes is null exactly on create; updates keep the stored identity anyway.
        if (identity != null && oldAttributes == null && resource != null && resource.getMetadata() != null) {
            resource.getMetadata().setUid(identity.uid());
            if (identity.creationTimestamp() != null) {
                resource.getMetadata().setCreationTimestamp(identity.creationTimestamp());
            }
            newState = Serialization.asJson(resource);
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    }

    private record Identity(String uid, String creationTimestamp) {}
}
