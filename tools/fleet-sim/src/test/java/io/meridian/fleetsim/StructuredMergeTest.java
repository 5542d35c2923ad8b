package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.meridian.fleetsim.ServerSideApply.ManagerEntry;
import io.meridian.fleetsim.ServerSideApply.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The structured-merge rules on their own: list-maps, sets, atomic lists, pruning, field sets and patches. */
class StructuredMergeTest {

    private static final String NOW = "2026-11-24T10:00:00Z";

    @Test
    void listMapsMergeByKeyKeepingLiveOrderAndAppendingNewElements() {
        Map<String, Object> live = pod("""
                containers:
                - {name: app, image: app:1}
                - {name: istio-proxy, image: proxy:1}
                """);
        Map<String, Object> config = pod("""
                containers:
                - {name: app, image: app:2}
                - {name: logger, image: logger:1}
                """);

        Object merged = ServerSideApply.merge(live, config, MergeSchema.of("Pod"));

        assertThat(at(merged, "spec", "containers")).isEqualTo(yaml("""
                        - {name: app, image: app:2}
                        - {name: istio-proxy, image: proxy:1}
                        - {name: logger, image: logger:1}
                        """));
    }

    @Test
    void aPortWithoutProtocolIsTheDefaultedTcpPort() {
        Map<String, Object> live = pod("""
                containers:
                - name: app
                  ports: [{containerPort: 80, protocol: TCP, name: http}]
                """);
        Map<String, Object> config = pod("""
                containers:
                - name: app
                  ports: [{containerPort: 80, name: web}]
                """);

        Object merged = ServerSideApply.merge(live, config, MergeSchema.of("Pod"));

        assertThat(at(merged, "spec", "containers")).isEqualTo(yaml("""
                        - name: app
                          ports: [{containerPort: 80, protocol: TCP, name: web}]
                        """));
        assertThat(ServerSideApply.fieldSet(config, MergeSchema.of("Pod")).paths())
                .contains(".spec.containers[name=\"app\"].ports[containerPort=80,protocol=\"TCP\"].name");
    }

    @Test
    void atomicListsAreReplacedAndSetsJoined() {
        Map<String, Object> live = yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, finalizers: [a/one]}
                spec:
                  containers: [{name: app, args: [--x, --y]}]
                """);
        Map<String, Object> config = yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, finalizers: [b/two]}
                spec:
                  containers: [{name: app, args: [--z]}]
                """);

        Object merged = ServerSideApply.merge(live, config, MergeSchema.of("Pod"));

        assertThat(at(merged, "metadata", "finalizers")).isEqualTo(List.of("a/one", "b/two"));
        assertThat(at(merged, "spec", "containers")).isEqualTo(yaml("[{name: app, args: [--z]}]"));
        assertThat(ServerSideApply.fieldSet(config, MergeSchema.of("Pod")).paths())
                .containsExactly(
                        ".metadata.finalizers[=\"b/two\"]",
                        ".spec.containers[name=\"app\"]",
                        ".spec.containers[name=\"app\"].args",
                        ".spec.containers[name=\"app\"].name");
    }

    @Test
    void rbacRulesAreOneFieldReplacedWhole() {
        Map<String, Object> live = yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: r}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
                """);
        Map<String, Object> config = yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: r}
                rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
                """);

        assertThat(ServerSideApply.merge(live, config, MergeSchema.of("Role"))).isEqualTo(config);
        assertThat(ServerSideApply.fieldSet(config, MergeSchema.of("Role")).toFieldsV1())
                .isEqualTo(Map.of("f:rules", Map.of()));
    }

    @Test
    void droppingAContainerKeepsWhatAnotherManagerOwnsInItWithItsKey() {
        var schema = MergeSchema.of("Pod");
        Map<String, Object> first = pod("""
                containers:
                - {name: app, image: app:1}
                - {name: worker, image: worker:1}
                """);
        ManagerEntry applier = applier(first);
        Outcome.Written created =
                (Outcome.Written) ServerSideApply.apply(null, first, schema, List.of(), applier, false, NOW, o -> {});
        Map<String, Object> edited = ServerSideApply.deepCopy(created.object());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> containers = (List<Map<String, Object>>) at(edited, "spec", "containers");
        Map<String, Object> worker = containers.get(1);
        worker.put("env", yaml("[{name: DEBUG, value: '1'}]"));
        Outcome.Written withEnv = ServerSideApply.update(
                created.object(),
                edited,
                schema,
                created.managers(),
                new ManagerEntry("kubectl-edit", "Update", "v1", "", null, FieldSet.empty()),
                NOW,
                o -> {});

        Map<String, Object> second = pod("""
                containers:
                - {name: app, image: app:1}
                """);
        Outcome.Written pruned = (Outcome.Written) ServerSideApply.apply(
                withEnv.object(), second, schema, withEnv.managers(), applier(second), false, NOW, o -> {});

        assertThat(at(pruned.object(), "spec", "containers")).isEqualTo(yaml("""
                        - {name: app, image: app:1}
                        - name: worker
                          env: [{name: DEBUG, value: '1'}]
                        """));
    }

    @Test
    void fieldsV1ReadsBackAsWrittenAndNamesPathsAsTheServerDoes() {
        Map<String, Object> fieldsV1 = yaml("""
                f:metadata:
                  f:labels:
                    .: {}
                    f:app: {}
                f:spec:
                  f:ports:
                    k:{"port":80,"protocol":"TCP"}:
                      .: {}
                      f:port: {}
                """);

        FieldSet set = FieldSet.fromFieldsV1(fieldsV1);

        assertThat(set.toFieldsV1()).isEqualTo(fieldsV1);
        assertThat(Serialization.asJson(set.toFieldsV1())).startsWith("{\"f:metadata\":{\"f:labels\":{\".\":{}");
        assertThat(set.paths())
                .containsExactly(
                        ".metadata.labels",
                        ".metadata.labels.app",
                        ".spec.ports[port=80,protocol=\"TCP\"]",
                        ".spec.ports[port=80,protocol=\"TCP\"].port");
    }

    @Test
    void aConfigurationWithDuplicateKeysIsRefused() {
        Map<String, Object> config = pod("""
                containers:
                - {name: app, image: a}
                - {name: app, image: b}
                """);

        assertThat(ServerSideApply.invalidList(config, MergeSchema.of("Pod")))
                .isEqualTo(".spec.containers: duplicate entries for key [name=\"app\"]");
        assertThat(ServerSideApply.invalidList(pod("containers: [{image: a}]"), MergeSchema.of("Pod")))
                .isEqualTo(".spec.containers: element 0: associative list with keys has an element that omits key"
                        + " field \"name\" (and doesn't have default value)");
    }

    @Test
    void aStrategicMergePatchMergesContainersByNameAndDeletesOnRequest() {
        Map<String, Object> live = pod("""
                containers:
                - name: app
                  image: app:1
                  env: [{name: A, value: '1'}]
                - {name: debug, image: busybox}
                """);
        Map<String, Object> patch = yaml("""
                spec:
                  containers:
                  - name: app
                    env: [{name: B, value: '2'}]
                  - {name: debug, $patch: delete}
                """);

        Map<String, Object> patched = PatchFormats.strategic(live, patch, MergeSchema.of("Pod"));

        assertThat(at(patched, "spec", "containers")).isEqualTo(yaml("""
                        - name: app
                          image: app:1
                          env: [{name: A, value: '1'}, {name: B, value: '2'}]
                        """));
        List<?> untouched = (List<?>) at(live, "spec", "containers");
        assertThat(untouched).hasSize(2);
    }

    // ---- helpers ----

    private static ManagerEntry applier(Map<String, Object> config) {
        return new ManagerEntry(
                "meridian-identity", "Apply", "v1", "", null, ServerSideApply.fieldSet(config, MergeSchema.of("Pod")));
    }

    private static Map<String, Object> pod(String spec) {
        return yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + spec.indent(2));
    }

    @SuppressWarnings("unchecked")
    private static <T> T yaml(String text) {
        try {
            return (T) Serialization.yamlMapper().readValue(text, Object.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Object at(Object object, String... path) {
        Object value = object;
        for (String field : path) {
            value = ((Map<?, ?>) value).get(field);
        }
        return value;
    }
}
