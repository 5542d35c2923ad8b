package io.meridian.inventory.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.inventory.connect.Presence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Which stale objects a resync marker tombstones: those gone now, never one held again, none lost while unknown. */
class VanishedObjectsTest {

    private static final String CLUSTER = "aws-1";
    private static final String HELD_AGAIN = "aws-1//Namespace//again";
    private static final String GONE = "aws-1//Service/shop/gone";
    private static final String NOT_LISTED_YET = "aws-1/apps/Deployment/shop/later";

    private final Map<String, Presence> cluster = new HashMap<>();
    private final List<String> tombstones = new ArrayList<>();
    private boolean owned = true;
    private final VanishedObjects vanished = new VanishedObjects(
            id -> owned, (id, key) -> cluster.getOrDefault(key, Presence.GONE), (id, key) -> tombstones.add(key));

    @Test
    void onlyWhatTheConnectionSaysIsGoneIsTombstonedAndWhatItCannotTellIsOwedToTheNextMarker() {
        cluster.put(HELD_AGAIN, Presence.HELD);
        cluster.put(NOT_LISTED_YET, Presence.UNKNOWN);

        vanished.settle(CLUSTER, List.of(HELD_AGAIN, GONE, NOT_LISTED_YET));
        assertThat(tombstones).containsExactly(GONE);
        assertThat(vanished.owedFor(CLUSTER)).containsExactly(NOT_LISTED_YET);

        // The next marker (the connection's own resync, say) calls nothing stale, and the kind is listed now.
        cluster.put(NOT_LISTED_YET, Presence.GONE);
        vanished.settle(CLUSTER, List.of());
        assertThat(tombstones).containsExactly(GONE, NOT_LISTED_YET);
        assertThat(vanished.owedFor(CLUSTER)).isEmpty();
    }

    @Test
    void aMarkerReadBeforeItsConnectionCountedAsConnectedIsSettledWhenItDoes() {
        // The connection publishes its marker, then counts as connected: a quick consumer asks in between.
        cluster.put(GONE, Presence.UNKNOWN);
        vanished.settle(CLUSTER, List.of(GONE));
        assertThat(tombstones).isEmpty();

        cluster.put(GONE, Presence.GONE);
        vanished.connected(CLUSTER);
        assertThat(tombstones).containsExactly(GONE);
        assertThat(vanished.owedFor(CLUSTER)).isEmpty();

        vanished.connected(CLUSTER); // nothing owed: nothing published twice
        vanished.connected("gcp-2");
        assertThat(tombstones).containsExactly(GONE);
    }

    @Test
    void aLookThatFailsHalfWayKeepsWhatWasOwed() {
        AtomicBoolean broken = new AtomicBoolean();
        VanishedObjects failing = new VanishedObjects(
                id -> true,
                (id, key) -> {
                    if (broken.get()) {
                        throw new IllegalStateException("informer replaced meanwhile");
                    }
                    return Presence.UNKNOWN;
                },
                (id, key) -> tombstones.add(key));
        failing.settle(CLUSTER, List.of(NOT_LISTED_YET));
        broken.set(true);

        assertThatThrownBy(() -> failing.connected(CLUSTER)).isInstanceOf(IllegalStateException.class);
        assertThat(failing.owedFor(CLUSTER)).containsExactly(NOT_LISTED_YET);
        assertThat(tombstones).isEmpty();
    }

    @Test
    void anOwedObjectThatCameBackIsNotTombstoned() {
        oweAnObjectOfAKindNotListedYet();

        cluster.put(NOT_LISTED_YET, Presence.HELD);
        vanished.settle(CLUSTER, List.of());
        assertThat(tombstones).isEmpty();
        assertThat(vanished.owedFor(CLUSTER)).isEmpty();
    }

    @Test
    void aReplicaThatDoesNotOwnTheClusterTombstonesNothingAndForgetsWhatItOwed() {
        oweAnObjectOfAKindNotListedYet();
        owned = false;

        vanished.settle(CLUSTER, List.of(GONE));
        assertThat(tombstones).isEmpty();
        assertThat(vanished.owedFor(CLUSTER)).isEmpty();
    }

    @Test
    void aClusterThatLeftTheFleetOwesNothing() {
        oweAnObjectOfAKindNotListedYet();
        vanished.forget(CLUSTER);
        assertThat(vanished.owedFor(CLUSTER)).isEmpty();
    }

    /** A marker called an object stale whose kind the connection has not listed yet: its deletion is owed. */
    private void oweAnObjectOfAKindNotListedYet() {
        cluster.put(NOT_LISTED_YET, Presence.UNKNOWN);
        vanished.settle(CLUSTER, List.of(NOT_LISTED_YET));
    }
}
