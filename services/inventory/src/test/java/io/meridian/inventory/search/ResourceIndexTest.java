package io.meridian.inventory.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.resource.Container;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.contracts.resource.StatusSummary;
import io.meridian.contracts.selector.LabelSelector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceIndexTest {

    private static ObservedResource deployment(String cluster, String ns, String name, String image, long epoch) {
        return new ObservedResource(
                cluster,
                "apps",
                "apps/v1",
                "Deployment",
                ns,
                name,
                "uid-" + name,
                "1",
                Map.of("app", name),
                Map.of(),
                null,
                null,
                List.of(new Container(name, image, null, null)),
                null,
                null,
                new StatusSummary(null, true, 1, 1, null, Map.of()),
                Instant.EPOCH,
                epoch);
    }

    @Test
    void findsWhatRunsWhereByImageKindNamespaceLabelsAndCloud() {
        ResourceIndex index = new ResourceIndex();
        index.clusterCloud("aws-1", "aws");
        index.clusterCloud("gcp-1", "gcp");
        index.put(deployment("aws-1", "payments", "ledger", "registry.example/ledger:1.2", 1));
        index.put(deployment("aws-1", "payments", "api", "nginx:1.27", 1));
        index.put(deployment("gcp-1", "checkout", "cart", "nginx:latest", 1));

        assertThat(names(index.search(query(null, null, null, "nginx:*"), 10, null)))
                .containsExactly("api", "cart");
        assertThat(names(index.search(query(null, "gcp", null, "nginx:*"), 10, null)))
                .containsExactly("cart");
        assertThat(names(index.search(query("payments", null, null, null), 10, null)))
                .containsExactly("api", "ledger");
        assertThat(names(index.search(query(null, null, "app in (cart,ledger)", null), 10, null)))
                .containsExactly("ledger", "cart");
        assertThat(names(index.search(query(null, null, null, "*:latest"), 10, null)))
                .containsExactly("cart");
    }

    @Test
    void pagesInKeyOrderWithACursor() {
        ResourceIndex index = new ResourceIndex();
        for (int i = 0; i < 25; i++) {
            index.put(deployment("c" + (i % 3), "ns", String.format("d%02d", i), "img", 1));
        }
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            ResourceIndex.Page page = index.search(query(null, null, null, null), 10, cursor);
            assertThat(page.total()).isEqualTo(25);
            page.items().forEach(r -> all.add(r.key()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(all).hasSize(25).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void resyncPurgesOnlyObjectsOfOlderEpochsOfThatCluster() {
        ResourceIndex index = new ResourceIndex();
        index.put(deployment("aws-1", "ns", "gone", "img", 1));
        index.put(deployment("aws-1", "ns", "kept", "img", 2));
        index.put(deployment("gcp-1", "ns", "other", "img", 1));

        assertThat(index.purgeStale(completed("aws-1", 2))).containsExactly("aws-1/apps/Deployment/ns/gone");
        assertThat(index.size("aws-1")).isEqualTo(1);
        assertThat(index.size("gcp-1")).isEqualTo(1);
        assertThat(index.forgetCluster("gcp-1")).containsExactly("gcp-1/apps/Deployment/ns/other");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void aResyncThatCouldNotListAKindKeepsThatKindsObjects() {
        ResourceIndex index = new ResourceIndex();
        index.put(deployment("aws-1", "ns", "unlisted", "img", 1));
        index.put(pod("aws-1", "ns", "gone", 1));
        index.put(pod("aws-1", "ns", "seen", 2));

        ResyncMarker partial = new ResyncMarker(
                "aws-1",
                2,
                ResyncMarker.Phase.Completed,
                1,
                Instant.EPOCH,
                List.of(new ResyncMarker.GroupKind("apps", "Deployment")));

        assertThat(index.purgeStale(partial)).containsExactly("aws-1//Pod/ns/gone");
        assertThat(index.size("aws-1")).isEqualTo(2);
    }

    private static ResyncMarker completed(String cluster, long epoch) {
        return new ResyncMarker(cluster, epoch, ResyncMarker.Phase.Completed, 0, Instant.EPOCH);
    }

    private static ObservedResource pod(String cluster, String ns, String name, long epoch) {
        return new ObservedResource(
                cluster,
                "",
                "v1",
                "Pod",
                ns,
                name,
                "uid-" + name,
                "1",
                Map.of(),
                Map.of(),
                null,
                null,
                List.of(),
                null,
                null,
                null,
                Instant.EPOCH,
                epoch);
    }

    private static ResourceQuery query(String namespace, String cloud, String selector, String image) {
        return new ResourceQuery(
                null,
                cloud,
                null,
                namespace,
                selector == null ? null : LabelSelector.parse(selector),
                image == null ? null : ImageGlob.parse(image),
                null);
    }

    private static List<String> names(ResourceIndex.Page page) {
        return page.items().stream().map(ObservedResource::name).toList();
    }
}
