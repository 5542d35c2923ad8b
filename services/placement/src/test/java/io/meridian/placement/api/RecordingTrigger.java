package io.meridian.placement.api;

import io.meridian.placement.reconcile.WorkloadReconcileTrigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every workload the API told the reconcilers about, next to the real reconciler. */
@ApplicationScoped
public class RecordingTrigger implements WorkloadReconcileTrigger {

    private final List<String> changed = new CopyOnWriteArrayList<>();

    @Override
    public void workloadChanged(String name) {
        changed.add(name);
    }

    /** How often the API said that {@code name} changed. */
    public long times(String name) {
        return changed.stream().filter(name::equals).count();
    }
}
