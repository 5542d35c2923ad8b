package io.meridian.contracts.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void readsCpuInMillicoresExactlyAndRoundsUpLikeKubernetes() {
        assertThat(Quantities.millis("3920m")).hasValue(3920);
        assertThat(Quantities.millis("0.1")).hasValue(100);
        assertThat(Quantities.millis("4")).hasValue(4000);
        assertThat(Quantities.millis(2)).hasValue(2000);
        assertThat(Quantities.millis("1500u")).hasValue(2); // 1.5 millicores rounds up
        assertThat(Quantities.millis("1e3")).hasValue(1_000_000);
    }

    @Test
    void readsMemoryInBytesWithBinaryAndDecimalSuffixes() {
        assertThat(Quantities.units("16093840Ki")).hasValue(16093840L * 1024);
        assertThat(Quantities.units("256Mi")).hasValue(256L << 20);
        assertThat(Quantities.units("1G")).hasValue(1_000_000_000L);
        assertThat(Quantities.units("1.5Gi")).hasValue(3L << 29);
        assertThat(Quantities.units(" 2 ")).hasValue(2);
    }

    @Test
    void somethingElseIsNoQuantity() {
        assertThat(Quantities.units("two")).isEmpty();
        assertThat(Quantities.units(null)).isEmpty();
        assertThat(Quantities.units("1Zi")).isEmpty();
        assertThat(Quantities.units("9Ei")).isEmpty(); // beyond a long
        assertThat(Quantities.parse("two")).isNaN();
        assertThat(Quantities.parse(null)).isNaN();
    }

    @Test
    void spellingsOfOneQuantityHaveOneCanonicalValueAsTheApiServerKeepsIt() {
        assertThat(Quantities.canonical("1Gi"))
                .isEqualTo(Quantities.canonical("1024Mi"))
                .isEqualTo(Quantities.canonical(1073741824))
                .isEqualTo(Quantities.canonical("1073741824"))
                .isEqualTo(Quantities.canonical("1.073741824e9"));
        assertThat(Quantities.canonical("0.5")).isEqualTo(Quantities.canonical("500m"));
        assertThat(Quantities.canonical("1k"))
                .isEqualTo(Quantities.canonical("1000"))
                .isEqualTo(Quantities.canonical(1000.0));
        // below a nano the server rounds up
        assertThat(Quantities.canonical("0.0000000001")).isEqualTo(Quantities.canonical("1n"));
        assertThat(Quantities.canonical("1Gi")).isNotEqualTo(Quantities.canonical("1G"));
        assertThat(Quantities.canonical("5Gi")).isNotEqualTo(Quantities.canonical("1Gi"));
        assertThat(Quantities.canonical("lots")).isNull();
        assertThat(Quantities.canonical(null)).isNull();
    }

    @Test
    void readsAsDoubleForCosting() {
        assertThat(Quantities.parse("16Gi") / Quantities.GIB).isEqualTo(16.0);
        assertThat(Quantities.parse("3920m")).isCloseTo(3.92, within(1e-12));
        assertThat(Quantities.parse(4)).isEqualTo(4.0);
    }
}
