package io.meridian.contracts.selector;

/**
 * Kubernetes label key and value syntax, checked character by character (no regular expressions), so that a
 * label Meridian accepts is one a Kubernetes API server and every selector in the fleet accept too.
 */
public final class LabelSyntax {

    /** The longest label value, and the longest name part of a key. */
    public static final int MAX_NAME_LENGTH = 63;

    /** The longest DNS-subdomain prefix of a key ({@code example.com/} in {@code example.com/tier}). */
    public static final int MAX_PREFIX_LENGTH = 253;

    private LabelSyntax() {}

    /** Why {@code key} is not a valid label key ({@code [prefix/]name}), or null when it is. */
    public static String keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "label key must not be empty";
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (!isDnsSubdomain(prefix)) {
                return "label key prefix must be a DNS subdomain of at most " + MAX_PREFIX_LENGTH + " characters";
            }
        }
        if (name.length() > MAX_NAME_LENGTH || !isName(name)) {
            return "label key name must be at most " + MAX_NAME_LENGTH + " characters: alphanumerics, '-', '_' or"
                    + " '.', starting and ending with an alphanumeric";
        }
        return null;
    }

    /** Why {@code value} is not a valid label value, or null when it is; the empty value is valid. */
    public static String valueProblem(String value) {
        if (value == null) {
            return "label value must not be null (use an empty string)";
        }
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_NAME_LENGTH || !isName(value)) {
            return "label value must be at most " + MAX_NAME_LENGTH + " characters: alphanumerics, '-', '_' or '.',"
                    + " starting and ending with an alphanumeric";
        }
        return null;
    }

    /** {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]}: a key's name part or a non-empty value. */
    static boolean isName(String s) {
        if (s.isEmpty() || !isAlphanumeric(s.charAt(0)) || !isAlphanumeric(s.charAt(s.length() - 1))) {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (!isAlphanumeric(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 1123 label, as Kubernetes checks namespaces and many object names: lower-case alphanumerics and '-',
     * starting and ending with an alphanumeric, at most 63 characters.
     */
    public static boolean isDnsLabel(String s) {
        return s != null && !s.isEmpty() && s.length() <= MAX_NAME_LENGTH && isDnsLabel(s, 0, s.length());
    }

    /**
     * RFC 1123 subdomain, as Kubernetes checks most object names and a label key's prefix: dot-separated lower-case
     * labels, each starting and ending with an alphanumeric, at most 253 characters in all.
     */
    public static boolean isDnsSubdomain(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_PREFIX_LENGTH) {
            return false;
        }
        int start = 0;
        while (true) {
            int dot = s.indexOf('.', start);
            int end = dot < 0 ? s.length() : dot;
            if (!isDnsLabel(s, start, end)) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    private static boolean isDnsLabel(String s, int start, int end) {
        if (end <= start || !isLowerAlphanumeric(s.charAt(start)) || !isLowerAlphanumeric(s.charAt(end - 1))) {
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

    private static boolean isAlphanumeric(char c) {
        return isLowerAlphanumeric(c) || (c >= 'A' && c <= 'Z');
    }

    /** {@code [a-z0-9]}: what DNS names, and the path components of an image reference, are made of. */
    public static boolean isLowerAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
