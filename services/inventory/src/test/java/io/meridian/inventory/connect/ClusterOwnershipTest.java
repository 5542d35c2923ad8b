package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import io.meridian.inventory.persistence.PartitionClaims.Claim;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterOwnershipTest {

    private static final int PARTITIONS = 6;
    private static final String CLUSTER = "aws-prod-1";
    private static final int PARTITION =
            ClusterKeyPartitioner.partitionFor(CLUSTER.getBytes(StandardCharsets.UTF_8), PARTITIONS);

    private final ClusterOwnership ownership = new ClusterOwnership();

    @Test
    void anAssignedClusterIsWatchedAtOnceAndWrittenToOnlyOnceItsPartitionIsClaimed() {
        ownership.assigned(PARTITIONS, Set.of(PARTITION));
        // The claim could not be made yet (database away): observing goes on, writing waits.
        assertThat(ownership.owns(CLUSTER)).isTrue();
        assertThat(ownership.claim(CLUSTER)).isEmpty();

        ownership.claimed(PARTITION, 7);
        assertThat(ownership.claim(CLUSTER)).contains(new Claim(PARTITION, 7));
    }

    @Test
    void aClusterFencedOutIsNeitherWatchedNorWrittenToUntilItsPartitionIsClaimedAgain() {
        ownership.assigned(PARTITIONS, Set.of(PARTITION));
        ownership.claimed(PARTITION, 3);

        assertThat(ownership.fenced(List.of(new Claim(PARTITION, 2))))
                .as("an older claim of this replica's fences nothing")
                .isFalse();
        assertThat(ownership.claim(CLUSTER)).contains(new Claim(PARTITION, 3));

        assertThat(ownership.fenced(List.of(new Claim(PARTITION, 3)))).isTrue();
        assertThat(ownership.owns(CLUSTER)).isFalse();
        assertThat(ownership.claim(CLUSTER)).isEmpty();
        assertThat(ownership.unclaimed()).containsExactly(PARTITION);

        ownership.claimed(PARTITION, 5);
        assertThat(ownership.owns(CLUSTER)).isTrue();
        assertThat(ownership.claim(CLUSTER)).contains(new Claim(PARTITION, 5));
    }

    @Test
    void aRevokedPartitionIsNeitherWatchedNorClaimedLater() {
        AtomicInteger heard = new AtomicInteger();
        ownership.onClaimed(partitions -> heard.incrementAndGet());
        ownership.assigned(PARTITIONS, Set.of(PARTITION));
        ownership.revoked(Set.of(PARTITION));

        ownership.claimed(PARTITION, 9); // a claim that was in flight when the partition went
        assertThat(ownership.owns(CLUSTER)).isFalse();
        assertThat(ownership.claim(CLUSTER)).isEmpty();
        ownership.claimsMade(Set.of(PARTITION));
        assertThat(heard).hasValue(1);
    }
}
