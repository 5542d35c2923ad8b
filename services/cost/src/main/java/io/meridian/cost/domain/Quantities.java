package io.meridian.cost.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ({@code 3920m}, {@code 16093840Ki}, {@code 2Gi}) as doubles, for costing. */
public final class Quantities {

    public static final double GIB = 1024.0 * 1024.0 * 1024.0;

    private static final Pattern QUANTITY = Pattern.compile(
            "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]{1,3})?");

    private Quantities() {}

    /** The value of a quantity; {@code NaN} when the text is not one (a caller then falls back). */
    public static double parse(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (!(raw instanceof String text)) {
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
}
