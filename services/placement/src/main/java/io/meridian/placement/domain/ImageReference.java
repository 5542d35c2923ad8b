package io.meridian.placement.domain;

import io.meridian.contracts.selector.LabelSyntax;

/**
 * Container image reference syntax as registries and the kubelet read it ({@code
 * [registry[:port]/]path[:tag][@digest]}, the grammar of distribution/reference), checked in one pass over the text:
 * an override's image comes from a caller.
 */
public final class ImageReference {

    /** The longest repository name (registry and path) a registry accepts. */
    static final int MAX_NAME = 255;

    static final int MAX_TAG = 128;

    private ImageReference() {}

    /** Why {@code image} is not a valid image reference, or null when it is. */
    public static String problem(String image) {
        if (image == null || image.isEmpty()) {
            return "must not be empty";
        }
        String rest = image;
        int at = rest.indexOf('@');
        if (at >= 0) {
            String digestProblem = digestProblem(rest.substring(at + 1));
            if (digestProblem != null) {
                return digestProblem;
            }
            rest = rest.substring(0, at);
        }
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.indexOf(':', lastSlash + 1);
        if (colon >= 0) {
            String tag = rest.substring(colon + 1);
            if (!isTag(tag)) {
                return "has an invalid tag '" + abbreviate(tag) + "': letters, digits, '_', '.' and '-', at most "
                        + MAX_TAG + ", not starting with '.' or '-'";
            }
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty()) {
            return "needs a repository name before the tag or digest";
        }
        if (rest.length() > MAX_NAME) {
            return "has a repository name longer than " + MAX_NAME + " characters";
        }
        String[] components = rest.split("/", -1);
        int first = 0;
        if (components.length > 1 && isRegistry(components[0])) {
            if (!isHostAndPort(components[0])) {
                return "has an invalid registry '" + abbreviate(components[0]) + "' (host[:port])";
            }
            first = 1;
        }
        for (int i = first; i < components.length; i++) {
            if (!isPathComponent(components[i])) {
                return "has an invalid path component '" + abbreviate(components[i])
                        + "': lower-case letters and digits, separated by '.', '_', '__' or dashes";
            }
        }
        return null;
    }

    // As docker does: the first component is a registry when it has a dot or a port, or is localhost.
    private static boolean isRegistry(String component) {
        return component.indexOf('.') >= 0 || component.indexOf(':') >= 0 || component.equals("localhost");
    }

    private static boolean isHostAndPort(String s) {
        int colon = s.indexOf(':');
        String host = colon < 0 ? s : s.substring(0, colon);
        if (colon >= 0) {
            String port = s.substring(colon + 1);
            if (port.isEmpty() || port.length() > 5 || !allDigits(port)) {
                return false;
            }
        }
        if (host.isEmpty()) {
            return false;
        }
        for (String part : host.split("\\.", -1)) {
            if (part.isEmpty() || !isAlphanumeric(part.charAt(0)) || !isAlphanumeric(part.charAt(part.length() - 1))) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (!isAlphanumeric(c) && c != '-') {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*}, walked once. */
    private static boolean isPathComponent(String s) {
        if (s.isEmpty() || !LabelSyntax.isLowerAlphanumeric(s.charAt(0))) {
            return false;
        }
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && LabelSyntax.isLowerAlphanumeric(s.charAt(i))) {
                i++;
            }
            if (i == s.length()) {
                return true;
            }
            int separatorStart = i;
            char c = s.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '_') {
                i++;
                if (i < s.length() && s.charAt(i) == '_') {
                    i++;
                }
            } else if (c == '-') {
                while (i < s.length() && s.charAt(i) == '-') {
                    i++;
                }
            } else {
                return false;
            }
            if (i == s.length() || i == separatorStart || !LabelSyntax.isLowerAlphanumeric(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTag(String s) {
        if (s.isEmpty() || s.length() > MAX_TAG) {
            return false;
        }
        char first = s.charAt(0);
        if (!isAlphanumeric(first) && first != '_') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlphanumeric(c) && c != '_' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static String digestProblem(String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0) {
            return "has an invalid digest: algorithm:hex, e.g. sha256:<64 hex digits>";
        }
        String algorithm = digest.substring(0, colon);
        String hex = digest.substring(colon + 1);
        for (int i = 0; i < algorithm.length(); i++) {
            char c = algorithm.charAt(i);
            boolean separator = c == '+' || c == '.' || c == '_' || c == '-';
            if (!LabelSyntax.isLowerAlphanumeric(c) && !(separator && i > 0 && i < algorithm.length() - 1)) {
                return "has an invalid digest algorithm '" + abbreviate(algorithm) + "'";
            }
        }
        if (hex.length() < 32) {
            return "has a digest of fewer than 32 hex digits";
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return "has a digest that is not lower-case hex";
            }
        }
        return null;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
