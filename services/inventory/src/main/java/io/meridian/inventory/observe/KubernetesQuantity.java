package io.meridian.inventory.observe;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An exact Kubernetes resource quantity ({@code 500m}, {@code 1.5}, {@code 2Gi}, {@code 1e3}) as a decimal. */
public record KubernetesQuantity(BigDecimal value) {

    // The grammar of k8s.io/apimachinery resource.Quantity: a signed decimal and one optional suffix that is
    // binary SI, decimal SI or a decimal exponent. "E" alone is exa; "E3" is an exponent.
    private static final Pattern QUANTITY = Pattern.compile(
            "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]{1,3})?");

    public KubernetesQuantity {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Parses the text form of a quantity.
     *
     * @throws IllegalArgumentException when the text is not a Kubernetes quantity
     */
    public static KubernetesQuantity parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a quantity is required, got null");
        }
        Matcher matcher = QUANTITY.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a Kubernetes quantity: expected a number with an optional suffix"
                    + " (n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent like e3)");
        }
        BigDecimal number = new BigDecimal(matcher.group(1));
        String suffix = matcher.group(2);
        return new KubernetesQuantity(suffix == null ? number : number.multiply(multiplier(suffix)));
    }

    /** Parses a fabric8 quantity, which keeps the number and the suffix apart. */
    public static KubernetesQuantity of(Quantity quantity) {
        Objects.requireNonNull(quantity, "quantity");
        String amount = quantity.getAmount() == null ? "" : quantity.getAmount();
        String format = quantity.getFormat() == null ? "" : quantity.getFormat();
        return parse(amount + format);
    }

    /** Thousandths of the value, rounded up like Kubernetes' {@code MilliValue()}: CPU in millicores. */
    public long millisRoundedUp() {
        return exactLong(value.movePointRight(3));
    }

    /** The value rounded up like Kubernetes' {@code Value()}: memory and storage in bytes. */
    public long unitsRoundedUp() {
        return exactLong(value);
    }

    private long exactLong(BigDecimal amount) {
        try {
            return amount.setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("quantity " + value.toPlainString() + " is out of range", e);
        }
    }

    private static BigDecimal multiplier(String suffix) {
        return switch (suffix) {
            case "n" -> BigDecimal.ONE.movePointLeft(9);
            case "u" -> BigDecimal.ONE.movePointLeft(6);
            case "m" -> BigDecimal.ONE.movePointLeft(3);
            case "k" -> BigDecimal.ONE.movePointRight(3);
            case "M" -> BigDecimal.ONE.movePointRight(6);
            case "G" -> BigDecimal.ONE.movePointRight(9);
            case "T" -> BigDecimal.ONE.movePointRight(12);
            case "P" -> BigDecimal.ONE.movePointRight(15);
            case "E" -> BigDecimal.ONE.movePointRight(18);
            case "Ki" -> BigDecimal.TWO.pow(10);
            case "Mi" -> BigDecimal.TWO.pow(20);
            case "Gi" -> BigDecimal.TWO.pow(30);
            case "Ti" -> BigDecimal.TWO.pow(40);
            case "Pi" -> BigDecimal.TWO.pow(50);
            case "Ei" -> BigDecimal.TWO.pow(60);
            default -> BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        };
    }
}
