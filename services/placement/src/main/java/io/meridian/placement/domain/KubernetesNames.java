package io.meridian.placement.domain;

/**
 * Kubernetes object name syntax, checked character by character (no regular expressions on what callers send), so
 * that a name placement accepts is one the clusters' API servers accept too.
 */
public final class KubernetesNames {

    /** The longest DNS label (RFC 1123): namespaces, Service names, label values. */
    public static final int MAX_LABEL = 63;

    /** The longest DNS subdomain (RFC 1123): most object names. */
    public static final int MAX_SUBDOMAIN = 253;

    private KubernetesNames() {}

    /** RFC 1123 label: lower-case alphanumerics and '-', starting and ending with an alphanumeric, at most 63. */
    public static boolean isDnsLabel(String s) {
        return s != null && !s.isEmpty() && s.length() <= MAX_LABEL && isLabel(s, 0, s.length());
    }

    /** RFC 1035 label, as Kubernetes wants Service names: an RFC 1123 label that starts with a letter. */
    public static boolean isDns1035Label(String s) {
        return isDnsLabel(s) && s.charAt(0) >= 'a' && s.charAt(0) <= 'z';
    }

    /** RFC 1123 subdomain: dot-separated RFC 1123 labels, at most 253 characters in all. */
    public static boolean isDnsSubdomain(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_SUBDOMAIN) {
            return false;
        }
        int start = 0;
        while (true) {
            int dot = s.indexOf('.', start);
            int end = dot < 0 ? s.length() : dot;
            if (!isLabel(s, start, end)) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    private static boolean isLabel(String s, int start, int end) {
        if (end <= start || end - start > MAX_LABEL) {
            return false;
        }
        if (!isLowerAlphanumeric(s.charAt(start)) || !isLowerAlphanumeric(s.charAt(end - 1))) {
            return false;
        }
        for (int i = start + 1; i < end - 1; i++) {
            char c = s.charAt(i);
            if (!isLowerAlphanumeric(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    static boolean isLowerAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
