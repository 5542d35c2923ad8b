package io.meridian.inventory.search;

/**
 * A glob over image references: {@code *} matches any run of characters, {@code ?} exactly one, every other
 * character itself, and the glob must match the whole reference ({@code nginx:*}, {@code *.dkr.ecr.*},
 * {@code *:latest}, {@code nginx:1.2?}).
 *
 * <p>A caller supplies the glob, so it is never turned into a backtracking regular expression: it is matched
 * as a set of positions in the glob, all advanced together one character of the reference at a time (a
 * bit-parallel NFA), in {@code O(|reference| * (|glob| / 64 + 1))} steps whatever the glob, at most
 * {@value #MAX_LENGTH} characters long.
 */
public final class ImageGlob {

    /** The longest glob accepted: more than any image reference (name, tag and digest) needs. */
    public static final int MAX_LENGTH = 512;

    private final String glob;
    // Bit i of a state: the first i literal positions of the glob are matched. States 0..positions.
    private final int positions;
    private final int words;
    private final long[] anyChar; // positions that are '?'
    private final long[] starAt; // states with a '*' after them: they stay set on any character
    private final long[][] ascii; // positions holding each ASCII character
    private final String literals; // the literal character at each position ('?' for a wildcard)

    private ImageGlob(String glob) {
        this.glob = glob;
        StringBuilder lits = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            if (glob.charAt(i) != '*') {
                lits.append(glob.charAt(i));
            }
        }
        this.literals = lits.toString();
        this.positions = literals.length();
        this.words = positions / 64 + 1;
        this.anyChar = new long[words];
        this.starAt = new long[words];
        this.ascii = new long[128][];
        int state = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                set(starAt, state);
            } else {
                if (c == '?') {
                    set(anyChar, state);
                } else if (c < 128) {
                    if (ascii[c] == null) {
                        ascii[c] = new long[words];
                    }
                    set(ascii[c], state);
                }
                state++;
            }
        }
    }

    /** Parses a glob; throws IllegalArgumentException, with a message fit for the caller, when it is unusable. */
    public static ImageGlob parse(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("must be a non-empty glob");
        }
        if (glob.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be a glob of at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(
                        "must not contain whitespace or control characters (an image reference has none)");
            }
        }
        return new ImageGlob(glob);
    }

    /** Whether the whole of {@code reference} matches. */
    public boolean matches(String reference) {
        long[] state = new long[words];
        state[0] = 1L; // nothing matched yet
        long[] next = new long[words];
        for (int t = 0; t < reference.length(); t++) {
            char c = reference.charAt(t);
            long[] literal = c < 128 ? ascii[c] : null;
            long carry = 0;
            long alive = 0;
            for (int w = 0; w < words; w++) {
                long advancing = state[w] & (anyChar[w] | (literal == null ? literalMask(c, w) : literal[w]));
                long moved = (advancing << 1) | carry;
                carry = advancing >>> 63;
                next[w] = moved | (state[w] & starAt[w]);
                alive |= next[w];
            }
            if (alive == 0) {
                return false;
            }
            long[] swap = state;
            state = next;
            next = swap;
        }
        return (state[positions >>> 6] & (1L << (positions & 63))) != 0;
    }

    // Non-ASCII characters are rare in references; find their positions by scanning.
    private long literalMask(char c, int word) {
        if (c < 128) {
            return 0;
        }
        long mask = 0;
        int from = word * 64;
        int to = Math.min(positions, from + 64);
        for (int i = from; i < to; i++) {
            if (literals.charAt(i) == c) {
                mask |= 1L << (i - from);
            }
        }
        return mask;
    }

    private static void set(long[] bits, int index) {
        bits[index >>> 6] |= 1L << (index & 63);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageGlob other && glob.equals(other.glob);
    }

    @Override
    public int hashCode() {
        return glob.hashCode();
    }

    @Override
    public String toString() {
        return glob;
    }
}
