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
    void spellingsOfOneRequestOrLimitHaveOneValueAsTheApiServerComparesThem() {
        assertThat(Quantities.resourceListValue("1Gi"))
                .isEqualTo(Quantities.resourceListValue("1024Mi"))
                .isEqualTo(Quantities.resourceListValue(1073741824))
                .isEqualTo(Quantities.resourceListValue("1073741824"))
                .isEqualTo(Quantities.resourceListValue("1.073741824e9"));
        assertThat(Quantities.resourceListValue("0.5")).isEqualTo(Quantities.resourceListValue("500m"));
        assertThat(Quantities.resourceListValue("1k"))
                .isEqualTo(Quantities.resourceListValue("1000"))
                .isEqualTo(Quantities.resourceListValue(1000.0));
        // a ResourceList is rounded up to thousandths
        assertThat(Quantities.resourceListValue("1.0001")).isEqualTo(Quantities.resourceListValue("1001m"));
        assertThat(Quantities.resourceListValue("1n")).isEqualTo(Quantities.resourceListValue("1m"));
        assertThat(Quantities.resourceListValue("1Gi")).isNotEqualTo(Quantities.resourceListValue("1G"));
        assertThat(Quantities.resourceListValue("5Gi")).isNotEqualTo(Quantities.resourceListValue("1Gi"));
        // integers beyond a long are compared exactly, not as doubles
        assertThat(Quantities.resourceListValue(new java.math.BigInteger("100000000000000000001")))
                .isNotEqualTo(Quantities.resourceListValue(new java.math.BigInteger("100000000000000000002")));
        assertThat(Quantities.resourceListValue("lots")).isNull();
        assertThat(Quantities.resourceListValue(null)).isNull();
    }

    @Test
    void aQuantityLongerThanAnyRealOneIsNoneAndCostsNothingToRefuse() {
        String megabyte = "1" + "0".repeat(1_000_000);
        assertThat(Quantities.resourceListValue(megabyte)).isNull();
        assertThat(Quantities.units(megabyte)).isEmpty();
        assertThat(Quantities.parse(megabyte)).isNaN();
        assertThat(Quantities.resourceListValue(new java.math.BigInteger(megabyte.substring(0, 5_000))))
                .isNull();
        // 64 characters is still one
        assertThat(Quantities.resourceListValue("1" + "0".repeat(60) + "Gi")).isNotNull();
    }

    @Test
    void readsAsDoubleForCosting() {
        assertThat(Quantities.parse("16Gi") / Quantities.GIB).isEqualTo(16.0);
        assertThat(Quantities.parse("3920m")).isCloseTo(3.92, within(1e-12));
        assertThat(Quantities.parse(4)).isEqualTo(4.0);
    }
}
