package io.meridian.identity.domain;

import io.meridian.contracts.selector.LabelSyntax;
import java.util.regex.Pattern;

/** Kubernetes name syntax, so that what identity generates is always accepted by an API server. */
public final class Names {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private Names() {}

    /** An RFC 1123 label of at most {@code max} characters (namespaces, template names). */
    public static boolean isDnsLabel(String value, int max) {
        return value != null
                && value.length() <= max
                && DNS_LABEL.matcher(value).matches();
    }

    /** An RFC 1123 subdomain of at most 253 characters (object names). */
    public static boolean isDnsSubdomain(String value) {
        return value != null
                && value.length() <= 253
                && DNS_SUBDOMAIN.matcher(value).matches();
    }

    /** Why a label key is invalid, or null: the fleet's one definition, so selectors accept every label. */
    public static String labelKeyProblem(String key) {
        return LabelSyntax.keyProblem(key);
    }

    /** Why a label value is invalid, or null. */
    public static String labelValueProblem(String value) {
        return LabelSyntax.valueProblem(value);
    }
}
