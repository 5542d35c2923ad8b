package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResourcesTest {

    private static final long EI = 1L << 60;

    @Test
    void amountsAddSubtractAndMultiply() {
        Resources r = new Resources(500, 1L << 30, 1);

        assertThat(r.plus(r)).isEqualTo(new Resources(1000, 2L << 30, 2));
        assertThat(r.minus(r)).isEqualTo(Resources.NONE);
        assertThat(r.times(3)).isEqualTo(new Resources(1500, 3L << 30, 3));
    }

    @Test
    void anAmountBeyondALongIsRefusedInsteadOfWrappingToANegativeThatFits() {
        Resources huge = new Resources(0, 4 * EI, 0);

        assertThatThrownBy(() -> huge.times(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> huge.plus(huge).plus(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> new Resources(Long.MIN_VALUE, 0, 0).minus(new Resources(1, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
