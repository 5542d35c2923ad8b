package io.meridian.eventing.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MultiRowValuesTest {

    @Test
    void numbersEveryParameterOfEveryRow() {
        assertThat(MultiRowValues.of("(:owner#, :cluster#, NULL, :now)", 3))
                .isEqualTo("(:owner0, :cluster0, NULL, :now), (:owner1, :cluster1, NULL, :now),"
                        + " (:owner2, :cluster2, NULL, :now)");
    }

    @Test
    void aTemplateEndingInAnIndexAndRowsBeyondNine() {
        String values = MultiRowValues.of(":k#", 12);
        assertThat(values).startsWith(":k0, :k1, ").endsWith(":k10, :k11");
    }

    @Test
    void noRowsIsEmpty() {
        assertThat(MultiRowValues.of("(:a#)", 0)).isEmpty();
    }
}
