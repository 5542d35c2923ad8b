package io.meridian.servicekit.endpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A host name pattern of an allow-list: {@code *} matches any run of characters (dots included), everything
 * else itself, case-insensitively, over the whole host ({@code *.eks.amazonaws.com}, {@code api.example.com}).
 *
 * <p>Never a regular expression: the glob is cut at its stars into literal pieces, and a host matches when the
 * first piece starts it, the last ends it and the others follow in order between them, each taken at its
 * leftmost place (leftmost is always right when {@code *} is the only wildcard). That is one pass over the host
 * per piece, linear in the host's length for a configured glob.
 */
record HostGlob(String text, List<String> pieces) {

    /** Longest host name DNS allows. */
    static final int MAX_LENGTH = 253;

    HostGlob {
        pieces = List.copyOf(pieces);
    }

    /** Parses a configured glob; throws IllegalArgumentException saying what is wrong with it. */
    static HostGlob parse(String glob) {
        String text = glob.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be a host name or glob of 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '*';
            if (!ok) {
                throw new IllegalArgumentException(
                        "may hold only letters, digits, '-', '.' and '*' (any run of characters), not '" + c + "'");
            }
        }
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (int star = text.indexOf('*'); star >= 0; star = text.indexOf('*', from)) {
            pieces.add(text.substring(from, star));
            from = star + 1;
        }
        pieces.add(text.substring(from));
        return new HostGlob(text, pieces);
    }

    /** Whether the whole host (lower case, no trailing dot) matches. */
    boolean matches(String host) {
        if (pieces.size() == 1) {
            return host.equals(pieces.getFirst());
        }
        String first = pieces.getFirst();
        String last = pieces.getLast();
        if (host.length() < first.length() + last.length() || !host.startsWith(first) || !host.endsWith(last)) {
            return false;
        }
        int position = first.length();
        int end = host.length() - last.length();
        for (int i = 1; i < pieces.size() - 1; i++) {
            String piece = pieces.get(i);
            int at = host.indexOf(piece, position);
            if (at < 0 || at + piece.length() > end) {
                return false;
            }
            position = at + piece.length();
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
