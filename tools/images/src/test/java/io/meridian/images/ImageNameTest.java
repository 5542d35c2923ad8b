package io.meridian.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageNameTest {

    @Test
    void parsesTheReferencesTheManifestsUse() {
        ImageName name = ImageName.parse("ghcr.io/meridian-fleet/policy:0.1.0");

        assertThat(name).isEqualTo(new ImageName("ghcr.io", "meridian-fleet/policy", "0.1.0"));
        assertThat(name).isEqualTo(ImageName.service(ImageName.PUBLIC_REGISTRY, "policy", "0.1.0"));
        assertThat(name.toString()).isEqualTo("ghcr.io/meridian-fleet/policy:0.1.0");
    }

    @Test
    void aRegistryWithAPortIsARegistryNotATag() {
        ImageName name = ImageName.parse("127.0.0.1:25000/meridian-fleet/cost:1.2.3");

        assertThat(name.registry()).isEqualTo("127.0.0.1:25000");
        assertThat(name.repository()).isEqualTo("meridian-fleet/cost");
        assertThat(name.tag()).isEqualTo("1.2.3");
    }

    @Test
    void movesToAnotherRegistryWithItsRepositoryAndTag() {
        assertThat(ImageName.javaRuntime("ghcr.io", "0.1.0").inRegistry("localhost:5000"))
                .hasToString("localhost:5000/meridian-fleet/java-runtime:0.1.0");
    }

    @Test
    void refusesReferencesThatLeaveTheRegistryOrTheTagImplied() {
        assertThatThrownBy(() -> ImageName.parse("meridian-fleet/policy:0.1.0")).hasMessageContaining("no registry");
        assertThatThrownBy(() -> ImageName.parse("ghcr.io/meridian-fleet/policy"))
                .hasMessageContaining("no tag");
        assertThatThrownBy(() -> ImageName.parse("ghcr.io/meridian-fleet/policy@sha256:" + "0".repeat(64)))
                .hasMessageContaining("digest");
        assertThatThrownBy(() -> new ImageName("ghcr.io", "Meridian/Policy", "0.1.0"))
                .hasMessageContaining("not a repository");
        assertThatThrownBy(() -> new ImageName("ghcr.io", "meridian-fleet/policy", "0.1.0+build"))
                .hasMessageContaining("not a tag");
    }

    @Test
    void aSnapshotBuildIsTaggedWithTheReleaseItLeadsTo() {
        assertThat(ImagePublisher.releaseTag("0.1.0-SNAPSHOT")).isEqualTo("0.1.0");
        assertThat(ImagePublisher.releaseTag("1.4.2")).isEqualTo("1.4.2");
        assertThat(ImagePublisher.releaseTag()).doesNotContain("SNAPSHOT").doesNotContain("${");
    }

    @Test
    void onlyARegistryOnThisMachineIsSpokenToOverPlainHttpByDefault() {
        assertThat(PushTarget.isLoopback("127.0.0.1:25000")).isTrue();
        assertThat(PushTarget.isLoopback("localhost:5000")).isTrue();
        assertThat(PushTarget.isLoopback("[::1]:5000")).isTrue();
        assertThat(PushTarget.isLoopback("ghcr.io")).isFalse();
        assertThat(PushTarget.isLoopback("10.0.0.7:5000")).isFalse();
        assertThat(PushTarget.isLoopback("127.example.com:5000")).isFalse();
    }
}
