package io.meridian.contracts.resource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 3920m}, {@code 16093840Ki}, {@code 2Gi}, {@code 1e3}) as they appear in
 * observed manifests and users' pod templates, read the one way every service reads them: as a double for costing,
 * or exactly, rounded up like Kubernetes' {@code MilliValue()} and {@code Value()}, for capacity arithmetic.
 */
public final class Quantities {

    public static final double GIB = 1024.0 * 1024.0 * 1024.0;

    // The grammar of k8s.io/apimachinery resource.Quantity: a signed decimal and one optional suffix that is
    // binary SI, decimal SI or a decimal exponent. "E" alone is exa; "E3" is an exponent.
    private static final Pattern QUANTITY = Pattern.compile(
            "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]{1,3})?");

    // Longer text is no quantity: no real one comes near it, and parsing a megabyte of digits exactly costs seconds of
    // CPU (users' manifests reach placement through its REST API). Inventory's own reader of quantities has the same
    // bound.
    private static final int MAX_TEXT = 64;

    private Quantities() {}

    /** The value of a quantity (a string, or a number as YAML reads {@code cpu: 2}); {@code NaN} when not one. */
    public static double parse(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (!(raw instanceof String text) || text.length() > MAX_TEXT) {
            return Double.NaN;
        }
        Matcher m = QUANTITY.matcher(text.trim());
        if (!m.matches()) {
            return Double.NaN;
        }
        double number = Double.parseDouble(m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return number;
        }
        return number
                * switch (suffix) {
                    case "n" -> 1e-9;
                    case "u" -> 1e-6;
                    case "m" -> 1e-3;
                    case "k" -> 1e3;
                    case "M" -> 1e6;
                    case "G" -> 1e9;
                    case "T" -> 1e12;
                    case "P" -> 1e15;
                    case "E" -> 1e18;
                    case "Ki" -> 1024.0;
                    case "Mi" -> 1024.0 * 1024;
                    case "Gi" -> GIB;
                    case "Ti" -> GIB * 1024;
                    case "Pi" -> GIB * 1024 * 1024;
                    case "Ei" -> GIB * 1024 * 1024 * 1024;
                    default -> Math.pow(10, Integer.parseInt(suffix.substring(1)));
                };
    }

    /**
     * Thousandths of a quantity rounded up, like Kubernetes' {@code MilliValue()}: CPU in millicores. Empty when the
     * value is not a quantity or does not fit a long.
     */
    public static OptionalLong millis(Object raw) {
        return exact(raw, 3);
    }

    /**
     * A quantity rounded up to a whole number, like Kubernetes' {@code Value()}: memory in bytes, GPUs. Empty when the
     * value is not a quantity or does not fit a long.
     */
    public static OptionalLong units(Object raw) {
        return exact(raw, 0);
    }

    // Exact, so that "3920m" is 3920 millicores and never 3919 after a binary fraction.
    private static OptionalLong exact(Object raw, int shift) {
        BigDecimal value = decimal(raw);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(value.movePointRight(shift)
                    .setScale(0, RoundingMode.CEILING)
                    .longValueExact());
        } catch (ArithmeticException tooLarge) {
            return OptionalLong.empty();
        }
    }

    /**
     * The value an API server compares for a request or limit (a ResourceList: a container's, a claim's), to tell
     * whether two spellings are one amount: exact, rounded up to thousandths away from zero as SetDefaults_ResourceList
     * rounds, without trailing zeros, so that {@code 1Gi}, {@code 1024Mi} and {@code 1073741824} are equal, and so are
     * {@code 1.0001} and {@code 1001m}. Null when the value is not a quantity.
     */
    public static BigDecimal resourceListValue(Object raw) {
        BigDecimal value = decimal(raw);
        return value == null ? null : value.setScale(3, RoundingMode.UP).stripTrailingZeros();
    }

    private static BigDecimal decimal(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        // Exactly, not through a double: YAML and JSON give integers beyond a long as BigInteger.
        if (raw instanceof java.math.BigInteger big) {
            return big.bitLength() > 4 * MAX_TEXT ? null : new BigDecimal(big);
        }
        if (raw instanceof BigDecimal big) {
            return big.precision() > MAX_TEXT || Math.abs(big.scale()) > 1000 ? null : big;
        }
        if (raw instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (!(raw instanceof String text) || text.length() > MAX_TEXT) {
            return null;
        }
        Matcher m = QUANTITY.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return number;
        }
        return switch (suffix) {
            case "n" -> number.movePointLeft(9);
            case "u" -> number.movePointLeft(6);
            case "m" -> number.movePointLeft(3);
            case "k" -> number.movePointRight(3);
            case "M" -> number.movePointRight(6);
            case "G" -> number.movePointRight(9);
            case "T" -> number.movePointRight(12);
            case "P" -> number.movePointRight(15);
            case "E" -> number.movePointRight(18);
            case "Ki" -> number.multiply(BigDecimal.TWO.pow(10));
            case "Mi" -> number.multiply(BigDecimal.TWO.pow(20));
            case "Gi" -> number.multiply(BigDecimal.TWO.pow(30));
            case "Ti" -> number.multiply(BigDecimal.TWO.pow(40));
            case "Pi" -> number.multiply(BigDecimal.TWO.pow(50));
            case "Ei" -> number.multiply(BigDecimal.TWO.pow(60));
            default -> number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        };
    }
}
