package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Watches end as a real API server ends them when their resourceVersion is compacted: 410 Expired, then relist. */
class WatchExpiryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EVENTUALLY = Duration.ofSeconds(20);

    @Test
    void aDeletionBetweenTheWatchRequestAndItsUpgradeEndsTheWatchWith410() {
        // Deleted (resourceVersion 9) after the request was answered, before the store's listener was attached.
        List<String> sent = openWatch(deleted -> {}, deleted -> deleted.set(9));
        assertThat(sent)
                .singleElement()
                .asString()
                .contains("\"type\":\"ERROR\"")
                .contains("\"code\":410");
    }

    @Test
    void aDeletionTheStoresListenerHearsOfDoesNotEndTheWatch() {
        // Deleted while the store's listener replays what exists: the listener delivers it itself.
        List<String> sent = openWatch(deleted -> deleted.set(9), deleted -> {});
        assertThat(sent).isEmpty();
    }

    @Test
    void noWriteToTheStoreFallsBetweenCountingDeletionsAndAttachingTheStoresListener() {
        // A write takes the store's write lock; while the watch opens, a writer on another thread must wait.
        java.util.concurrent.locks.ReentrantReadWriteLock store =
                new java.util.concurrent.locks.ReentrantReadWriteLock();
        List<Boolean> writerGotIn = new CopyOnWriteArrayList<>();
        openWatch(
                new WatchExpiry(store.readLock(), (listener, then) -> then.run()),
                deleted -> writerGotIn.add(CompletableFuture.supplyAsync(() -> {
                            boolean locked = store.writeLock().tryLock();
                            if (locked) {
                                store.writeLock().unlock();
                            }
                            return locked;
                        })
                        .join()),
                deleted -> {});
        assertThat(writerGotIn).containsExactly(false);
        assertThat(store.writeLock().tryLock())
                .as("free again once the watch is open")
                .isTrue();
    }

    @Test
    void aClosedOrFailedWatchLeavesTheStoresSetBeforeItsListenerShutsDown() {
        for (boolean failed : List.of(false, true)) {
            List<String> order = new CopyOnWriteArrayList<>();
            io.fabric8.mockwebserver.http.WebSocketListener store =
                    new io.fabric8.mockwebserver.http.WebSocketListener() {
                        @Override
                        public void onClosed(io.fabric8.mockwebserver.http.WebSocket socket, int code, String reason) {
                            order.add("store listener shut down");
                        }

                        @Override
                        public void onFailure(
                                io.fabric8.mockwebserver.http.WebSocket socket,
                                Throwable t,
                                io.fabric8.mockwebserver.http.Response response) {
                            order.add("store listener shut down");
                        }
                    };
            WatchExpiry watches = new WatchExpiry(
                    new java.util.concurrent.locks.ReentrantReadWriteLock().readLock(), (listener, shutdown) -> {
                        order.add(listener == store ? "detached" : "detached another");
                        shutdown.run();
                    });
            var upgraded = watches.watch(
                            "/api/v1/namespaces/shop/configmaps?watch=true&resourceVersion=5",
                            7,
                            () -> 0,
                            () -> new io.fabric8.mockwebserver.http.MockResponse().withWebSocketUpgrade(store))
                    .getWebSocketListener();
            if (failed) {
                upgraded.onFailure(null, new java.io.IOException("reset"), null);
            } else {
                upgraded.onClosed(null, 1000, "");
            }
            assertThat(order).as(failed ? "failed" : "closed").containsExactly("detached", "store listener shut down");
        }
    }

    private static List<String> openWatch(
            java.util.function.Consumer<java.util.concurrent.atomic.AtomicLong> inStoreOpen,
            java.util.function.Consumer<java.util.concurrent.atomic.AtomicLong> beforeOpen) {
        return openWatch(new WatchExpiry(), inStoreOpen, beforeOpen);
    }

    /**
     * Requests a watch from resourceVersion 5 (nothing deleted since then), runs {@code beforeOpen} on the deletion
     * counter between the request and the upgrade and {@code inStoreOpen} while the store's listener opens, and
     * answers what the simulator sent on the socket beside the store.
     */
    private static List<String> openWatch(
            WatchExpiry watches,
            java.util.function.Consumer<java.util.concurrent.atomic.AtomicLong> inStoreOpen,
            java.util.function.Consumer<java.util.concurrent.atomic.AtomicLong> beforeOpen) {
        java.util.concurrent.atomic.AtomicLong deleted = new java.util.concurrent.atomic.AtomicLong();
        io.fabric8.mockwebserver.http.WebSocketListener store = new io.fabric8.mockwebserver.http.WebSocketListener() {
            @Override
            public void onOpen(
                    io.fabric8.mockwebserver.http.WebSocket socket, io.fabric8.mockwebserver.http.Response response) {
                inStoreOpen.accept(deleted);
            }
        };
        io.fabric8.mockwebserver.http.MockResponse response = watches.watch(
                "/api/v1/namespaces/shop/configmaps?watch=true&resourceVersion=5",
                7,
                deleted::get,
                () -> new io.fabric8.mockwebserver.http.MockResponse().withWebSocketUpgrade(store));
        assertThat(response.getWebSocketListener()).as("upgraded, not refused").isNotNull();
        beforeOpen.accept(deleted);
        List<String> sent = new CopyOnWriteArrayList<>();
        response.getWebSocketListener()
                .onOpen(
                        new io.fabric8.mockwebserver.http.WebSocket() {
                            @Override
                            public io.fabric8.mockwebserver.http.RecordedRequest request() {
                                return null;
                            }

                            @Override
                            public boolean send(String text) {
                                sent.add(text);
                                return true;
                            }

                            @Override
                            public boolean send(byte[] bytes) {
                                return true;
                            }

                            @Override
                            public boolean close(int code, String reason) {
                                sent.add("(closed)");
                                return true;
                            }
                        },
                        null);
        return sent.stream().filter(m -> !m.equals("(closed)")).toList();
    }

    @Test
    void anOpenWatchGetsA410ExpiredErrorEventAndThenItsStreamEnds() throws Exception {
        try (StandaloneApiServer server = StandaloneApiServer.start("expiry-wire");
                KubernetesClient client = client(server)) {
            namespace(client, "w");
            configMap(client, "w", "a");
            String rv =
                    client.configMaps().inNamespace("w").list().getMetadata().getResourceVersion();

            List<String> messages = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(
                            URI.create("ws://127.0.0.1:" + server.port()
                                    + "/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=" + rv),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                    messages.add(data.toString());
                                    ws.request(1);
                                    return null;
                                }

                                @Override
                                public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                                    closed.complete(code);
                                    return null;
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
            await().atMost(EVENTUALLY).until(() -> server.openWatches() == 1 && !messages.isEmpty());
            configMap(client, "w", "b");
            long current = Long.parseLong(
                    client.configMaps().inNamespace("w").list().getMetadata().getResourceVersion());

            assertThat(server.expireWatches()).isEqualTo(1);

            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
            JsonNode last = JSON.readTree(messages.getLast());
            assertThat(last).isEqualTo(JSON.readTree("""
                            {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                             "message":"too old resource version: %s (%d)","reason":"Expired","code":410}}""".formatted(rv, current)));
            assertThat(server.openWatches()).isZero();
            socket.abort();
        }
    }

    @Test
    void aWatchFromBeforeADeletionIsGoneSoTheClientNeverMissesIt() throws Exception {
        try (StandaloneApiServer server = StandaloneApiServer.start("deleted-while-away");
                KubernetesClient client = client(server)) {
            namespace(client, "w");
            configMap(client, "w", "a");
            configMap(client, "w", "b");
            String before =
                    client.configMaps().inNamespace("w").list().getMetadata().getResourceVersion();
            // Deleted while the client had no watch: replaying what exists would never tell it.
            client.configMaps().inNamespace("w").withName("a").delete();
            assertGoneAtOnce(client, before);

            // A deletion of something the watch does not select sends it nowhere.
            String beforeOther =
                    client.configMaps().inNamespace("w").list().getMetadata().getResourceVersion();
            namespace(client, "other");
            configMap(client, "other", "x");
            client.configMaps().inNamespace("other").withName("x").delete();
            try (Watch watch = client.configMaps()
                    .inNamespace("w")
                    .withResourceVersion(beforeOther)
                    .watch(closing(new CompletableFuture<>()))) {
                await().atMost(EVENTUALLY).until(() -> server.openWatches() == 1);
            }
            await().atMost(EVENTUALLY).until(() -> server.openWatches() == 0);

            // From a list taken after the deletion, the watch starts.
            String after =
                    client.configMaps().inNamespace("w").list().getMetadata().getResourceVersion();
            try (Watch watch = client.configMaps()
                    .inNamespace("w")
                    .withResourceVersion(after)
                    .watch(closing(new CompletableFuture<>()))) {
                await().atMost(EVENTUALLY).until(() -> server.openWatches() == 1);
            }
        }
    }

    /**
     * A real API server's DELETED event carries the object at the deletion's own resourceVersion. A client whose watch
     * broke after it heard of a deletion resumes from that version, and must be told what came next, not sent back to
     * list for the deletion it has seen (the mock sent the object's last version, and every resumed watch was Gone).
     */
    @Test
    void aWatchResumedFromADeletedEventGoesOnWithoutListingAgain() throws Exception {
        try (StandaloneApiServer server = StandaloneApiServer.start("resume-after-deletion");
                KubernetesClient client = client(server)) {
            namespace(client, "w");
            configMap(client, "w", "a");
            String listed =
                    client.configMaps().inNamespace("w").list().getMetadata().getResourceVersion();
            List<String> heard = new CopyOnWriteArrayList<>();
            Watcher<ConfigMap> recording = new Watcher<>() {
                @Override
                public void eventReceived(Action action, ConfigMap cm) {
                    heard.add(action + " " + cm.getMetadata().getName() + " "
                            + cm.getMetadata().getResourceVersion());
                }

                @Override
                public void onClose(WatcherException cause) {
                    heard.add("CLOSED " + cause.getMessage());
                }
            };
            String createdAt;
            try (Watch watch = client.configMaps()
                    .inNamespace("w")
                    .withResourceVersion(listed)
                    .watch(recording)) {
                await().atMost(EVENTUALLY).until(() -> server.openWatches() == 1);
                createdAt = configMap(client, "w", "b").getMetadata().getResourceVersion();
                client.configMaps().inNamespace("w").withName("b").delete();
                await().atMost(EVENTUALLY).until(() -> heard.stream().anyMatch(e -> e.startsWith("DELETED b ")));
            }
            String deletedAt = heard.stream()
                    .filter(e -> e.startsWith("DELETED b "))
                    .findFirst()
                    .orElseThrow()
                    .substring("DELETED b ".length());
            assertThat(Long.parseLong(deletedAt)).isGreaterThan(Long.parseLong(createdAt));

            heard.clear();
            try (Watch resumed = client.configMaps()
                    .inNamespace("w")
                    .withResourceVersion(deletedAt)
                    .watch(recording)) {
                configMap(client, "w", "c");
                await().atMost(EVENTUALLY).until(() -> heard.stream().anyMatch(e -> e.startsWith("ADDED c ")));
                assertThat(heard).noneMatch(e -> e.startsWith("CLOSED"));
            }
        }
    }

    @Test
    void aWatchFromAnOldResourceVersionIsGoneUntilTheClientRelists() throws Exception {
        try (StandaloneApiServer server = StandaloneApiServer.start("expiry-gone");
                KubernetesClient client = client(server)) {
            namespace(client, "w");
            configMap(client, "w", "a");
            String old =
                    client.configMaps().inNamespace("w").list().getMetadata().getResourceVersion();
            CompletableFuture<WatcherException> first = new CompletableFuture<>();
            try (Watch watch = client.configMaps()
                    .inNamespace("w")
                    .withResourceVersion(old)
                    .watch(closing(first))) {
                await().atMost(EVENTUALLY).until(() -> server.openWatches() == 1);
                configMap(client, "w", "b");
                server.expireWatches();
                WatcherException expired = first.get(10, TimeUnit.SECONDS);
                assertThat(expired.isHttpGone()).isTrue();
                assertThat(expired.getMessage()).contains("too old resource version: " + old);
            }

            // Within the window, a watch from the old resourceVersion is ended at once.
            assertGoneAtOnce(client, old);

            // After a list, the client holds a current resourceVersion and watches as usual.
            String fresh =
                    client.configMaps().inNamespace("w").list().getMetadata().getResourceVersion();
            List<String> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<WatcherException> never = new CompletableFuture<>();
            try (Watch watch = client.configMaps()
                    .inNamespace("w")
                    .withResourceVersion(fresh)
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, ConfigMap cm) {
                            seen.add(action + " " + cm.getMetadata().getName());
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            never.complete(cause);
                        }
                    })) {
                configMap(client, "w", "c");
                await().atMost(EVENTUALLY).until(() -> seen.contains("ADDED c"));
                assertThat(never).isNotDone();
            }
        }
    }

    @Test
    void anInformerRelistsAfterExpiryAndEndsWithExactlyTheServersObjects() {
        try (StandaloneApiServer server = StandaloneApiServer.start("expiry-informer");
                KubernetesClient client = client(server)) {
            namespace(client, "w");
            configMap(client, "w", "a");
            configMap(client, "w", "b");
            List<String> deletes = new CopyOnWriteArrayList<>();
            SharedIndexInformer<ConfigMap> informer = client.configMaps()
                    .inNamespace("w")
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(ConfigMap cm) {}

                        @Override
                        public void onUpdate(ConfigMap before, ConfigMap after) {}

                        @Override
                        public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                            deletes.add(cm.getMetadata().getName());
                        }
                    });
            try {
                await().atMost(EVENTUALLY).until(() -> names(informer).equals(Set.of("a", "b")));
                await().atMost(EVENTUALLY).until(() -> server.openWatches() == 1);
                long listsBefore = server.listsAnswered();

                // Objects made and removed around the expiry, some while the informer has no watch.
                configMap(client, "w", "c");
                assertThat(server.expireWatches()).isEqualTo(1);
                client.configMaps().inNamespace("w").withName("a").delete();
                configMap(client, "w", "d");

                await().atMost(EVENTUALLY).untilAsserted(() -> {
                    assertThat(server.listsAnswered())
                            .as("the informer listed again")
                            .isGreaterThan(listsBefore);
                    assertThat(names(informer)).isEqualTo(Set.of("b", "c", "d"));
                });
                assertThat(deletes).containsExactly("a");
                // And stays so: nothing lost, nothing phantom, a watch open again.
                await().during(Duration.ofMillis(500))
                        .atMost(Duration.ofSeconds(3))
                        .untilAsserted(() -> {
                            assertThat(names(informer)).isEqualTo(serverNames(client));
                            assertThat(server.openWatches()).isEqualTo(1);
                        });
                configMap(client, "w", "e");
                await().atMost(EVENTUALLY).until(() -> names(informer).contains("e"));
            } finally {
                informer.close();
            }
        }
    }

    /**
     * A watch of namespace {@code w} from {@code resourceVersion} opens, as a real API server's does, and its first
     * event is the 410 error: a client then lists again. A refused upgrade would have fabric8 retry the same
     * resourceVersion for ever.
     */
    private static void assertGoneAtOnce(KubernetesClient client, String resourceVersion) throws Exception {
        CompletableFuture<WatcherException> closed = new CompletableFuture<>();
        try (Watch watch = client.configMaps()
                .inNamespace("w")
                .withResourceVersion(resourceVersion)
                .watch(closing(closed))) {
            WatcherException gone = closed.get(10, TimeUnit.SECONDS);
            assertThat(gone.isHttpGone()).as("the watch ended with 410 Gone").isTrue();
            assertThat(gone.getMessage()).contains("too old resource version: " + resourceVersion);
        }
    }

    private static Watcher<ConfigMap> closing(CompletableFuture<WatcherException> closed) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {}

            @Override
            public void onClose(WatcherException cause) {
                closed.complete(cause);
            }
        };
    }

    private static Set<String> names(SharedIndexInformer<ConfigMap> informer) {
        return informer.getStore().list().stream()
                .map(cm -> cm.getMetadata().getName())
                .collect(Collectors.toSet());
    }

    private static Set<String> serverNames(KubernetesClient client) {
        return client.configMaps().inNamespace("w").list().getItems().stream()
                .map(cm -> cm.getMetadata().getName())
                .collect(Collectors.toSet());
    }

    static KubernetesClient client(StandaloneApiServer server) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl(server.url())
                        .withOauthToken("sim-token")
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
    }

    static void namespace(KubernetesClient client, String name) {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
    }

    private static ConfigMap configMap(KubernetesClient client, String ns, String name) {
        return client.configMaps()
                .inNamespace(ns)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .addToData("k", name)
                        .build())
                .create();
    }
}
