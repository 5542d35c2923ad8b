package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meridian.inventory.observe.WatchedKind;
import io.meridian.testsupport.MockCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterInformersTest {

    private static final WatchedKind CONFIG_MAP = new WatchedKind("", "v1", "ConfigMap", "configmaps", true);

    @Test
    void theInformersStoreHandsOutCopiesSoAReaderThatChangesOneChangesNothingStored() {
        try (MockCluster cluster = MockCluster.start("informer-store-1")) {
            cluster.client()
                    .configMaps()
                    .inNamespace("shop")
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withNamespace("shop")
                            .withName("prices")
                            .endMetadata()
                            .withData(Map.of("currency", "EUR"))
                            .build())
                    .create();
            SharedIndexInformer<HasMetadata> informer = ClusterInformers.create(cluster.client(), CONFIG_MAP);
            try {
                informer.start();
                await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);

                HasMetadata read = informer.getStore().getByKey("shop/prices");
                read.getMetadata().setLabels(Map.of("changed", "by-a-reader"));

                // fabric8's own store would hand out the object it holds, and the change above would be in it.
                assertThat(informer.getStore()
                                .getByKey("shop/prices")
                                .getMetadata()
                                .getLabels())
                        .doesNotContainKey("changed");
                assertThat(informer.getStore().getByKey("shop/prices")).isNotSameAs(read);
            } finally {
                informer.stop();
            }
        }
    }
}
