package io.meridian.inventory.capi;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.cluster.Cloud;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A CAPI name belongs to one namespace; only allowed namespaces count. */
class ImportClaimsTest {

    @Test
    void anImportStaysWithTheNamespaceItCameFrom() {
        var resolution = ImportClaims.resolve(
                List.of(cluster("team-b", "shared"), cluster("fleet", "shared")),
                Map.of("shared", "fleet"),
                ImportClaims.allowList(Set.of()));

        assertThat(resolution.imports().get("shared").namespace()).isEqualTo("fleet");
        assertThat(resolution.refusals())
                .singleElement()
                .asString()
                .contains("team-b/shared")
                .contains("namespace fleet");
    }

    @Test
    void whenTheHoldingClusterIsGoneTheOtherDoesNotTakeOverTheImport() {
        var resolution = ImportClaims.resolve(
                List.of(cluster("team-b", "shared")), Map.of("shared", "fleet"), ImportClaims.allowList(Set.of()));

        assertThat(resolution.imports()).isEmpty();
        assertThat(resolution.refusals()).hasSize(1);
    }

    @Test
    void aNewNameClaimedTwiceIsImportedForNeither() {
        var resolution = ImportClaims.resolve(
                List.of(cluster("a", "twin"), cluster("b", "twin"), cluster("a", "single")),
                Map.of(),
                ImportClaims.allowList(Set.of()));

        assertThat(resolution.imports()).containsOnlyKeys("single");
        assertThat(resolution.refusals()).singleElement().asString().contains("a, b");
    }

    @Test
    void namespacesOutsideTheAllowListDoNotCount() {
        var resolution = ImportClaims.resolve(
                List.of(cluster("sandbox", "shared"), cluster("fleet", "shared"), cluster("sandbox", "other")),
                Map.of(),
                ImportClaims.allowList(Set.of("fleet")));

        assertThat(resolution.imports()).containsOnlyKeys("shared");
        assertThat(resolution.imports().get("shared").namespace()).isEqualTo("fleet");
        assertThat(resolution.refusals()).isEmpty();
    }

    private static ImportedCluster cluster(String namespace, String name) {
        return new ImportedCluster(name, namespace, Cloud.AWS, null, Map.of(), "kubeconfig", "Provisioned");
    }
}
