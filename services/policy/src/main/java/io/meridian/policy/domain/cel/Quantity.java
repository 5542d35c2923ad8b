package io.meridian.policy.domain.cel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes resource quantity ({@code 500m}, {@code 1.5Gi}, {@code 2e3}) as the CEL {@code kubernetes.Quantity}
 * type: an exact decimal value, so that comparison and arithmetic never lose precision.
 */
public record Quantity(BigDecimal value) implements Comparable<Quantity> {

    // The grammar of k8s.io/apimachinery resource.Quantity: sign, digits with an optional fraction, then a
    // binary SI suffix, a decimal SI suffix, or a decimal exponent. RE2: linear in the (object-supplied) text.
    private static final Pattern GRAMMAR = Pattern.compile(
            "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");

    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("n", BigDecimal.ONE.scaleByPowerOfTen(-9)),
            Map.entry("u", BigDecimal.ONE.scaleByPowerOfTen(-6)),
            Map.entry("m", BigDecimal.ONE.scaleByPowerOfTen(-3)),
            Map.entry("k", BigDecimal.ONE.scaleByPowerOfTen(3)),
            Map.entry("M", BigDecimal.ONE.scaleByPowerOfTen(6)),
            Map.entry("G", BigDecimal.ONE.scaleByPowerOfTen(9)),
            Map.entry("T", BigDecimal.ONE.scaleByPowerOfTen(12)),
            Map.entry("P", BigDecimal.ONE.scaleByPowerOfTen(15)),
            Map.entry("E", BigDecimal.ONE.scaleByPowerOfTen(18)));

    // The pre-check of apimachinery's resource.ParseQuantity: text that passes it but not the grammar has a bad suffix.
    private static final Pattern UPSTREAM_PRECHECK = Pattern.compile("([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)");

    private static final BigDecimal MIN_LONG = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);

    public Quantity {
        value = value.stripTrailingZeros();
    }

    /** The quantity a string denotes, if it is one. */
    public static Optional<Quantity> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = GRAMMAR.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return Optional.of(new Quantity(number));
        }
        if (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E') {
            int exponent;
            try {
                exponent = Integer.parseInt(suffix.substring(1));
            } catch (NumberFormatException tooBig) {
                return Optional.empty();
            }
            return Optional.of(new Quantity(number.scaleByPowerOfTen(exponent)));
        }
        return Optional.of(new Quantity(number.multiply(SUFFIXES.get(suffix))));
    }

    /** Why {@code text} is not a quantity, in the words of Kubernetes' {@code quantity()}. */
    public static String parseError(String text) {
        if (text != null && UPSTREAM_PRECHECK.matcher(text).matches()) {
            return "unable to parse quantity's suffix: '" + text + "'";
        }
        return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': '" + text
                + "'";
    }

    public static Quantity of(long value) {
        return new Quantity(BigDecimal.valueOf(value));
    }

    /** Whether {@link #asInteger()} answers without losing anything. */
    public boolean isInteger() {
        return value.signum() == 0
                || (value.scale() <= 0 && value.compareTo(MIN_LONG) >= 0 && value.compareTo(MAX_LONG) <= 0);
    }

    /** The value as an int64; fails on a fraction or an overflow, as Kubernetes does. */
    public long asInteger() {
        if (!isInteger()) {
            throw new ArithmeticException(
                    "cannot convert value to integer: quantity " + this + " does not fit an int64 without loss");
        }
        return value.longValueExact();
    }

    public double asApproximateFloat() {
        return value.doubleValue();
    }

    public long sign() {
        return value.signum();
    }

    public Quantity add(Quantity other) {
        return new Quantity(value.add(other.value));
    }

    public Quantity sub(Quantity other) {
        return new Quantity(value.subtract(other.value));
    }

    @Override
    public int compareTo(Quantity other) {
        return value.compareTo(other.value);
    }

    /** Integral values print in plain digits, others as the exact decimal. */
    @Override
    public String toString() {
        return value.scale() <= 0 ? value.toBigInteger().toString() : value.toPlainString();
    }
}
