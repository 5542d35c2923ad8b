package io.meridian.inventory.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesQuantityTest {

    @ParameterizedTest(name = "{0} = {1} millicores")
    @CsvSource({
        "500m, 500",
        "1, 1000",
        "1.5, 1500",
        "0.1, 100",
        ".5, 500",
        "2., 2000",
        "3920m, 3920",
        "250000u, 250",
        "100000000n, 100",
        // Kubernetes rounds a fraction of a millicore up, so a tiny request still counts.
        "1u, 1",
        "0.0001, 1",
        "1e3, 1000000",
        "1E-3, 1",
        "+2, 2000",
        "1k, 1000000",
    })
    void cpuInMillicores(String text, long millis) {
        assertThat(KubernetesQuantity.parse(text).millisRoundedUp()).isEqualTo(millis);
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "2Gi, 2147483648",
        "512Mi, 536870912",
        "1G, 1000000000",
        "100k, 100000",
        "1e3, 1000",
        "1E3, 1000",
        "1e+3, 1000",
        "1Ki, 1024",
        "1.5Gi, 1610612736",
        "14880156Ki, 15237279744",
        "1500M, 1500000000",
        "1Ti, 1099511627776",
        "1Pi, 1125899906842624",
        "7Ei, 8070450532247928832",
        "2E, 2000000000000000000",
        "76224326324, 76224326324",
        // A fraction of a byte is rounded up, as the API server does.
        "100m, 1",
        "1.0001k, 1001",
    })
    void memoryInBytes(String text, long bytes) {
        assertThat(KubernetesQuantity.parse(text).unitsRoundedUp()).isEqualTo(bytes);
    }

    @Test
    void keepsTheExactDecimalValue() {
        assertThat(KubernetesQuantity.parse("1.5Gi").value()).isEqualByComparingTo(new BigDecimal("1610612736"));
        assertThat(KubernetesQuantity.parse("123n").value()).isEqualByComparingTo(new BigDecimal("0.000000123"));
    }

    @Test
    void readsFabric8QuantitiesWhichSplitNumberAndSuffix() {
        assertThat(KubernetesQuantity.of(new Quantity("512Mi")).unitsRoundedUp())
                .isEqualTo(536870912L);
        assertThat(KubernetesQuantity.of(new Quantity("500", "m")).millisRoundedUp())
                .isEqualTo(500L);
        assertThat(KubernetesQuantity.of(new Quantity("1e3")).unitsRoundedUp()).isEqualTo(1000L);
        assertThat(KubernetesQuantity.of(new Quantity("1.5")).millisRoundedUp()).isEqualTo(1500L);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "abc", "1Gb", "1 Gi", "Gi", "1e3m", "1.2.3", "1KI", "--1", "0x10", "1e1000"})
    void rejectsTextThatIsNoQuantity(String text) {
        assertThatThrownBy(() -> KubernetesQuantity.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a Kubernetes quantity");
    }

    @Test
    void rejectsAValueBeyondALong() {
        assertThatThrownBy(() -> KubernetesQuantity.parse("8Ei").unitsRoundedUp())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
    }
}
