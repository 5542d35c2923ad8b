package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodRequestsTest {

    private static final long MIB = 1L << 20;

    @Test
    void appContainersAddUpAndTheOverheadAdds() {
        assertThat(PodRequests.of(
                        List.of(new Resources(500, 256 * MIB, 0), new Resources(250, 128 * MIB, 1)),
                        List.of(),
                        new Resources(100, MIB, 0)))
                .isEqualTo(new Resources(850, 385 * MIB, 1));
    }

    @Test
    void theLargestInitContainerWinsWhenItAsksMoreThanTheAppContainers() {
        assertThat(PodRequests.of(
                        List.of(new Resources(500, 256 * MIB, 0)),
                        List.of(
                                new PodRequests.InitContainer(new Resources(2000, 64 * MIB, 0), false),
                                new PodRequests.InitContainer(new Resources(100, 512 * MIB, 0), false)),
                        Resources.NONE))
                .as("each resource at its own peak")
                .isEqualTo(new Resources(2000, 512 * MIB, 0));
    }

    @Test
    void aSidecarRunsBesideTheAppAndTheInitContainersAfterIt() {
        Resources sidecar = new Resources(100, 128 * MIB, 0);
        assertThat(PodRequests.of(
                        List.of(new Resources(500, 256 * MIB, 0)),
                        List.of(
                                // Before the sidecar starts: alone.
                                new PodRequests.InitContainer(new Resources(1000, 0, 0), false),
                                new PodRequests.InitContainer(sidecar, true),
                                // After it: beside it.
                                new PodRequests.InitContainer(new Resources(1000, 0, 0), false)),
                        Resources.NONE))
                .isEqualTo(new Resources(1100, 384 * MIB, 0));
    }
}
