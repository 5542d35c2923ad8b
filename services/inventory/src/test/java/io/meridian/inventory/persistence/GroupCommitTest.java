package io.meridian.inventory.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private record Item(String key, int value) {}

    @Test
    void itemsQueuedWhileATransactionRunsShareTheNextOne() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<Item>> batches = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Item> commit = recording(batches, firstStarted, releaseFirst);
                ExecutorService callers = Executors.newCachedThreadPool()) {
            Future<?> first = callers.submit(() -> commit.commit(new Item("a", 0)));
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> rest = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                int value = i;
                rest.add(callers.submit(() -> commit.commit(new Item("k" + value, value))));
            }
            // all twenty wait behind the first transaction before it ends
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> commit.waiting() == 20);
            releaseFirst.countDown();
            first.get(5, TimeUnit.SECONDS);
            for (Future<?> f : rest) {
                f.get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(batches.getFirst()).containsExactly(new Item("a", 0));
        assertThat(batches.stream().skip(1).mapToInt(List::size).sum()).isEqualTo(20);
        assertThat(batches.size()).as("twenty items in far fewer transactions").isLessThanOrEqualTo(3);
    }

    @Test
    void itemsOfOneKeyNeverShareATransactionAndKeepTheirOrder() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<Item>> batches = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Item> commit = recording(batches, firstStarted, releaseFirst);
                ExecutorService callers = Executors.newCachedThreadPool()) {
            Future<?> first = callers.submit(() -> commit.commit(new Item("x", 0)));
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            // queued in this order while the first transaction runs: b1, a1, a2 (same key as a1), c1
            List<Future<?>> queued = new ArrayList<>();
            for (Item item : List.of(new Item("b", 1), new Item("a", 1), new Item("a", 2), new Item("c", 1))) {
                int before = commit.waiting();
                queued.add(callers.submit(() -> commit.commit(item)));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> commit.waiting() == before + 1);
            }
            releaseFirst.countDown();
            first.get(5, TimeUnit.SECONDS);
            for (Future<?> f : queued) {
                f.get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(batches).hasSize(3);
        assertThat(batches.get(1)).containsExactly(new Item("b", 1), new Item("a", 1));
        assertThat(batches.get(2)).containsExactly(new Item("a", 2), new Item("c", 1));
    }

    @Test
    void aFailingBatchIsRetriedOneByOneSoOnlyTheBadItemFails() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<Item> written = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Item> commit = new GroupCommit<>("test", 100, Item::key, items -> {
                    if (items.getFirst().key().equals("first")) {
                        firstStarted.countDown();
                        await(releaseFirst);
                    }
                    if (items.stream().anyMatch(i -> i.value() < 0)) {
                        throw new IllegalArgumentException("negative value");
                    }
                    written.addAll(items);
                });
                ExecutorService callers = Executors.newCachedThreadPool()) {
            Future<?> first = callers.submit(() -> commit.commit(new Item("first", 0)));
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            Future<?> good1 = callers.submit(() -> commit.commit(new Item("g1", 1)));
            Future<?> bad = callers.submit(() -> commit.commit(new Item("bad", -1)));
            Future<?> good2 = callers.submit(() -> commit.commit(new Item("g2", 2)));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> commit.waiting() == 3);
            releaseFirst.countDown();
            first.get(5, TimeUnit.SECONDS);
            good1.get(5, TimeUnit.SECONDS);
            good2.get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("negative value");
        }
        assertThat(written).contains(new Item("g1", 1), new Item("g2", 2)).doesNotContain(new Item("bad", -1));
    }

    /** Records every batch; the first one blocks until {@code releaseFirst}, so others queue up behind it. */
    private static GroupCommit<Item> recording(
            List<List<Item>> batches, CountDownLatch firstStarted, CountDownLatch releaseFirst) {
        return new GroupCommit<>("test", 100, Item::key, items -> {
            batches.add(List.copyOf(items));
            if (batches.size() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
            }
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
