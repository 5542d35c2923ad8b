package io.meridian.observability.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.alert.AlertEvent;
import io.meridian.observability.domain.Alert;
import io.meridian.observability.domain.AlertLifecycle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertEvaluatorTest {

    @Test
    void aBurstOfChangesIsStoredAndAnnouncedInSharesThatKeepEachAlertWithItsEvent() {
        List<Alert> changed = new ArrayList<>();
        for (int i = 0; i < AlertEvaluator.MAX_CHANGES + 100; i++) {
            changed.add(new Alert(
                    "fp" + i,
                    "R",
                    "warning",
                    Map.of("alertname", "R"),
                    Map.of(),
                    1.0,
                    AlertEvent.State.FIRING,
                    Instant.EPOCH,
                    Instant.EPOCH,
                    null,
                    AlertEvent.State.FIRING,
                    List.of(),
                    List.of(),
                    null,
                    null));
        }
        List<AlertEvent> events = changed.stream().map(Alert::toEvent).toList();

        AlertLifecycle.Step bounded = AlertEvaluator.bounded(new AlertLifecycle.Step(changed, events));

        assertThat(bounded.changed()).hasSize(AlertEvaluator.MAX_CHANGES);
        assertThat(bounded.announcements())
                .extracting(AlertEvent::fingerprint)
                .containsExactlyElementsOf(
                        bounded.changed().stream().map(Alert::fingerprint).toList());
    }
}
