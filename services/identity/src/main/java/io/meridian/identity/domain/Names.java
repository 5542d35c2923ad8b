package io.meridian.identity.domain;

import java.util.regex.Pattern;

/** Kubernetes name syntax, so that what identity generates is always accepted by an API server. */
public final class Names {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
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

    /** Why a label key is invalid, or null. */
    public static String labelKeyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "label key must not be empty";
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "label key prefix must be a DNS subdomain of at most 253 characters";
            }
        }
        if (name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            return "label key name must be at most 63 characters: alphanumerics, '-', '_' or '.'";
        }
        return null;
    }

    /** Why a label value is invalid, or null. */
    public static String labelValueProblem(String value) {
        if (value == null) {
            return "label value must not be null";
        }
        if (!value.isEmpty()
                && (value.length() > 63 || !LABEL_NAME.matcher(value).matches())) {
            return "label value must be at most 63 characters: alphanumerics, '-', '_' or '.'";
        }
        return null;
    }
}
