package io.meridian.cost.domain;

import java.util.Locale;

/**
 * A price set by an operator in place of the catalog's: an instance type per hour, a storage class per GiB-month,
 * or a cloud's spot factor. {@code region} {@code *} applies to every region of the cloud.
 */
public record PriceOverride(Kind kind, String cloud, String region, String key, double price) {

    /** What the price is of. */
    public enum Kind {
        instance,
        storage,
        spot;

        public static Kind parse(String text) {
            try {
                return valueOf(text.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                return null;
            }
        }
    }

    public static final String ANY_REGION = "*";

    /** The identity of an override: one price per kind, cloud, region and key. */
    public String id() {
        return kind + ":" + cloud + ":" + region + ":" + key;
    }

    boolean matches(Kind k, String c, String r, String name) {
        return kind == k && cloud.equals(c) && (region.equals(ANY_REGION) || region.equals(r)) && key.equals(name);
    }
}
