package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store's index by name finds exactly what fabric8's scan of every object finds: across kinds, namespaces and
 * cluster scope, after label changes (which change an object's attributes) and deletions.
 */
class NamedObjectsTest {

    static TestApiServer server;
    static ClusterDispatcher dispatcher;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = TestApiServer.start(new MutableClock(Instant.parse("2026-12-07T10:00:00Z")), Cloud.AZURE);
        dispatcher = server.dispatcher();
        client = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyWayTheStoreChangesKeepsTheIndexAndTheOrder() {
        NamedObjects objects = new NamedObjects();
        AttributeSet webPod = key("pods", "web");
        AttributeSet webService = key("services", "web");
        AttributeSet apiPod = key("pods", "api");
        objects.put(webPod, "1");
        objects.put(webService, "2");
        objects.put(apiPod, "3");

        // A key stored already keeps its place (as in fabric8's LinkedHashMap), with the new value.
        assertThat(objects.put(webPod, "1b")).isEqualTo("1");
        assertThat(objects.keySet()).containsExactly(webPod, webService, apiPod);
        assertThat(objects.findNamed(key("pods", "web")).getValue()).isEqualTo("1b");
        // As the simulator rewrites a deleted object's resourceVersion in place.
        assertThat(objects.computeIfPresent(webService, (k, v) -> v + "b")).isEqualTo("2b");
        assertThat(objects.computeIfPresent(key("pods", "gone"), (k, v) -> "x")).isNull();
        assertThat(objects.findNamed(key("services", "web")).getValue()).isEqualTo("2b");
        // A query by name alone matches the first of that name, in store order.
        assertThat(objects.findNamed(AttributeSet.map(new Attribute(NamedObjects.NAME, "web")))
                        .getKey())
                .isEqualTo(webPod);

        assertThat(objects.remove(webPod)).isEqualTo("1b");
        assertThat(objects.findNamed(key("pods", "web"))).isNull();
        assertThat(objects.findNamed(AttributeSet.map(new Attribute(NamedObjects.NAME, "web")))
                        .getKey())
                .isEqualTo(webService);
        assertThatThrownBy(() -> objects.entrySet().removeIf(e -> true))
                .as("a removal the index would not see is refused")
                .isInstanceOf(UnsupportedOperationException.class);
        objects.clear();
        assertThat(objects).isEmpty();
        assertThat(objects.findNamed(key("pods", "api"))).isNull();
    }

    private static AttributeSet key(String plural, String name) {
        return AttributeSet.map(new Attribute("plural", plural), new Attribute(NamedObjects.NAME, name));
    }

    @Test
    void aLookupByNameFindsWhatAScanOfEveryObjectFinds() {
        for (String ns : List.of("index-a", "index-b")) {
            for (String name : List.of("web", "api", "db")) {
                client.configMaps()
                        .inNamespace(ns)
                        .resource(new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(ns)
                                .addToLabels("app", name)
                                .endMetadata()
                                .addToData("k", ns + "/" + name)
                                .build())
                        .create();
            }
        }
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .endMetadata()
                        .build())
                .create();
        // A label change gives the object other attributes: the index must follow it.
        client.configMaps().inNamespace("index-a").withName("api").edit(c -> {
            c.getMetadata().getLabels().put("tier", "gold");
            return c;
        });
        client.configMaps().inNamespace("index-b").withName("db").delete();

        List<String> paths = new ArrayList<>();
        for (String ns : List.of("index-a", "index-b", "elsewhere")) {
            for (String name : List.of("web", "api", "db", "nothing")) {
                paths.add("/api/v1/namespaces/" + ns + "/configmaps/" + name);
                paths.add("/api/v1/namespaces/" + ns + "/secrets/" + name);
            }
        }
        paths.add("/api/v1/namespaces/web");
        paths.add("/api/v1/namespaces/index-a");
        paths.add("/api/v1/namespaces/api");

        IdentityKeepingCrud crud = dispatcher.crud();
        int found = 0;
        for (String path : paths) {
            AttributeSet query = crud.getKey(path);
            Map.Entry<AttributeSet, String> indexed = crud.findResource(query);
            Map.Entry<AttributeSet, String> scanned = crud.getMap().entrySet().stream()
                    .filter(e -> e.getKey().matches(query))
                    .findFirst()
                    .orElse(null);
            assertThat(indexed).as(path).isEqualTo(scanned);
            var answer = dispatcher.local(HttpMethod.GET, path, null, null);
            assertThat(answer.code()).as(path).isEqualTo(scanned == null ? 404 : 200);
            if (scanned != null) {
                found++;
                assertThat(answer.getBody().readUtf8()).as(path).isEqualTo(scanned.getValue());
            }
        }
        // The ConfigMaps web, api, db in index-a and web, api in index-b; the Namespace web (a ConfigMap's namespace is
        // not made for it).
        assertThat(found).isEqualTo(6);
        assertThat(client.configMaps()
                        .inNamespace("index-a")
                        .withName("api")
                        .get()
                        .getMetadata()
                        .getLabels())
                .containsEntry("tier", "gold");
        assertThat(client.configMaps().inNamespace("index-b").withName("db").get())
                .isNull();
    }
}
