package io.meridian.servicekit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * What a caller asks of a paged list: {@code ?limit=} items (1 to the list's maximum, 50 when not given) after the
 * opaque {@code ?cursor=} of the previous page. Pages are keyset pages in a stable order: the cursor names the key of
 * the last item seen and the list it came from, so a cursor of another list, or one a client made up, is a 400 naming
 * {@code cursor} rather than a silently wrong page.
 *
 * @param list what the cursor belongs to, e.g. {@code workloads} or {@code workloads/checkout/revisions}
 * @param limit how many items a page holds at most
 * @param after the key of the last item of the previous page; null for the first page
 */
public record PageRequest(String list, int limit, String after) {

    /** The limit when the caller names none, as every Meridian list has it. */
    public static final int DEFAULT_LIMIT = 50;

    /** The largest limit of a list whose items are small. */
    public static final int MAX_LIMIT = 500;

    // A cursor is short; a long one was not made here, and decoding it would only cost.
    private static final int MAX_CURSOR_LENGTH = 1024;
    private static final String VERSION = "1";
    private static final Problem.FieldError CURSOR_ERROR = new Problem.FieldError(
            "cursor", "is not a cursor this list returned: pass nextCursor back as it came, or leave it out");

    /**
     * The page {@code limit} and {@code cursor} ask of {@code list}; a 400 naming {@code limit} (outside 1 to {@code
     * max}) and {@code cursor} (not one this list returned), each that is wrong.
     */
    public static PageRequest of(String list, int limit, String cursor, int max) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (limit < 1 || limit > max) {
            errors.add(new Problem.FieldError("limit", "must be between 1 and " + max));
        }
        String after = null;
        if (cursor != null) {
            after = decode(list, cursor);
            if (after == null) {
                errors.add(CURSOR_ERROR);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new PageRequest(list, limit, after);
    }

    /** The 400 for a cursor whose key does not fit its list (one a client made up): the same as any bad cursor. */
    public static ProblemException invalidCursor() {
        return ProblemException.invalid(List.of(CURSOR_ERROR));
    }

    /** How many items to read: one more than a page, so that the extra one says whether a next page exists. */
    public int fetch() {
        return limit + 1;
    }

    /**
     * The page of {@code fetched} (up to {@link #fetch()} items in the list's order), with the cursor after its last
     * item when more follow.
     */
    public <T> Page<T> page(List<T> fetched, long total, Function<T, String> keyOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, total, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, total, cursor(keyOf.apply(items.getLast())));
    }

    private String cursor(String key) {
        String raw = VERSION + "\n" + list + "\n" + key;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a cursor of {@code list} names, or null when it is not such a cursor. */
    private static String decode(String list, String cursor) {
        if (cursor.isEmpty() || cursor.length() > MAX_CURSOR_LENGTH) {
            return null;
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String prefix = VERSION + "\n" + list + "\n";
        if (!raw.startsWith(prefix) || raw.length() == prefix.length()) {
            return null;
        }
        return raw.substring(prefix.length());
    }
}
