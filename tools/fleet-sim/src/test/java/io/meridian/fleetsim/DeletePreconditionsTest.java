package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A DELETE's preconditions are checked against the stored object, as a real API server's storage checks them. */
class DeletePreconditionsTest {

    private static TestApiServer server;

    @BeforeAll
    static void start() {
        server = TestApiServer.start(new MutableClock(Instant.parse("2026-12-07T10:00:00Z")), Cloud.AWS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aDeleteWhoseResourceVersionIsStaleIsAConflictAndKeepsTheObject() {
        Resource<ConfigMap> settings = configMap("stale-version");
        String seen = settings.get().getMetadata().getResourceVersion();
        settings.edit(cm -> new ConfigMapBuilder(cm).addToData("changed", "yes").build());

        KubernetesClientException refused = catchThrowableOfType(
                KubernetesClientException.class,
                () -> settings.lockResourceVersion(seen).delete());

        assertThat(refused.getCode()).isEqualTo(409);
        assertThat(refused.getStatus().getReason()).isEqualTo("Conflict");
        assertThat(refused.getStatus().getMessage())
                .isEqualTo("Operation cannot be fulfilled on configmaps \"stale-version\": Precondition failed:"
                        + " ResourceVersion in precondition: " + seen + ", ResourceVersion in object meta: "
                        + settings.get().getMetadata().getResourceVersion());
        assertThat(settings.get()).as("nothing deleted").isNotNull();

        String current = settings.get().getMetadata().getResourceVersion();
        assertThat(settings.lockResourceVersion(current).delete()).hasSize(1);
        assertThat(settings.get()).isNull();
    }

    @Test
    void aDeleteWhoseUidIsAnotherObjectsIsAConflict() throws Exception {
        Resource<ConfigMap> settings = configMap("other-uid");
        String uid = settings.get().getMetadata().getUid();
        String body =
                "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"preconditions\":{\"uid\":\"not-" + uid + "\"}}";

        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(server.api().url() + "/api/v1/namespaces/shop/configmaps/other-uid"))
                                .header("Content-Type", "application/json")
                                .method("DELETE", HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(answer.body())
                .contains("Precondition failed: UID in precondition: not-" + uid + ", UID in object meta: " + uid);
        assertThat(settings.get()).isNotNull();
        assertThat(settings.delete()).as("a delete without preconditions").hasSize(1);
        assertThat(settings.get()).isNull();
    }

    private static Resource<ConfigMap> configMap(String name) {
        ConfigMap created = server.client()
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("shop")
                        .endMetadata()
                        .withData(Map.of("a", "1"))
                        .build())
                .create();
        return server.client()
                .configMaps()
                .inNamespace("shop")
                .withName(created.getMetadata().getName());
    }
}
