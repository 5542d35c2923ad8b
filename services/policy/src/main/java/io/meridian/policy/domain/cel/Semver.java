package io.meridian.policy.domain.cel;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A semantic version as the CEL {@code kubernetes.Semver} type: the grammar, error texts and ordering of
 * github.com/blang/semver/v4, which the Kubernetes library uses; build metadata plays no part in equality or order.
 */
public record Semver(long major, long minor, long patch, List<String> prerelease, List<String> build)
        implements Comparable<Semver> {

    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    public Semver {
        prerelease = List.copyOf(prerelease);
        build = List.copyOf(build);
    }

    /** Why a string is not a semantic version. */
    public static final class InvalidSemver extends Exception {
        InvalidSemver(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code semver(s)}: strict semver.org syntax, no {@code v} prefix, no missing parts, no leading zeros. */
    public static Semver parse(String s) throws InvalidSemver {
        if (s.isEmpty()) {
            throw new InvalidSemver("Version string empty");
        }
        String[] parts = s.split("\\.", 3); // a one-character literal: String.split's fast path, no regex
        if (parts.length != 3) {
            throw new InvalidSemver("No Major.Minor.Patch elements found");
        }
        long major = number(parts[0], "major");
        long minor = number(parts[1], "minor");
        String patchPart = parts[2];
        List<String> build = List.of();
        List<String> prerelease = List.of();
        int plus = patchPart.indexOf('+');
        if (plus >= 0) {
            build = Arrays.asList(patchPart.substring(plus + 1).split("\\.", -1));
            patchPart = patchPart.substring(0, plus);
        }
        int dash = patchPart.indexOf('-');
        if (dash >= 0) {
            prerelease = Arrays.asList(patchPart.substring(dash + 1).split("\\.", -1));
            patchPart = patchPart.substring(0, dash);
        }
        long patch = number(patchPart, "patch");
        for (String pr : prerelease) {
            if (pr.isEmpty()) {
                throw new InvalidSemver("Prerelease is empty");
            }
            if (isNumeric(pr)) {
                if (pr.length() > 1 && pr.charAt(0) == '0') {
                    throw new InvalidSemver("Numeric PreRelease version must not contain leading zeroes " + quote(pr));
                }
            } else if (!isAlphanumeric(pr)) {
                throw new InvalidSemver("Invalid character(s) found in prerelease " + quote(pr));
            }
        }
        for (String b : build) {
            if (b.isEmpty()) {
                throw new InvalidSemver("Build meta data is empty");
            }
            if (!isAlphanumeric(b)) {
                throw new InvalidSemver("Invalid character(s) found in build meta data " + quote(b));
            }
        }
        return new Semver(major, minor, patch, prerelease, build);
    }

    /**
     * {@code semver(s, true)}: drops a {@code v} prefix and leading zeros and fills a missing minor or patch with 0,
     * as Kubernetes' normalizeAndParse does (no whitespace trimming).
     */
    public static Semver parseNormalized(String s) throws InvalidSemver {
        String text = s.startsWith("v") ? s.substring(1) : s;
        List<String> parts = new ArrayList<>(Arrays.asList(text.split("\\.", 3)));
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            if (p.length() > 1) {
                int zeros = 0;
                while (zeros < p.length() && p.charAt(zeros) == '0') {
                    zeros++;
                }
                p = p.substring(zeros);
                if (p.isEmpty() || !Character.isDigit(p.charAt(0))) {
                    p = "0" + p;
                }
                parts.set(i, p);
            }
        }
        if (parts.size() < 3) {
            String last = parts.getLast();
            if (last.indexOf('+') >= 0 || last.indexOf('-') >= 0) {
                throw new InvalidSemver("short version cannot contain PreRelease/Build meta data");
            }
            while (parts.size() < 3) {
                parts.add("0");
            }
        }
        return parse(String.join(".", parts));
    }

    private static long number(String text, String part) throws InvalidSemver {
        if (!isNumeric(text)) {
            throw new InvalidSemver("Invalid character(s) found in " + part + " number " + quote(text));
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            throw new InvalidSemver(Character.toUpperCase(part.charAt(0)) + part.substring(1)
                    + " number must not contain leading zeroes " + quote(text));
        }
        if (text.isEmpty() || text.length() > 20 || new BigInteger(text).compareTo(MAX_UINT64) > 0) {
            throw new InvalidSemver("strconv.ParseUint: parsing " + quote(text) + ": "
                    + (text.isEmpty() ? "invalid syntax" : "value out of range"));
        }
        // A uint64 above int64's range cannot be a CEL int; Kubernetes would wrap it, refusing is the honest answer.
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException beyondInt64) {
            throw new InvalidSemver(part + " number " + quote(text) + " does not fit a CEL int");
        }
    }

    private static boolean isNumeric(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isAlphanumeric(String s) {
        return s.chars()
                .allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-');
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public int compareTo(Semver o) {
        int c = Long.compare(major, o.major);
        if (c == 0) {
            c = Long.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, o.patch);
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        // a version without a prerelease ranks above any prerelease of it
        if (prerelease.isEmpty() || o.prerelease.isEmpty()) {
            return Integer.signum(Boolean.compare(prerelease.isEmpty(), o.prerelease.isEmpty()));
        }
        for (int i = 0; i < Math.min(prerelease.size(), o.prerelease.size()); i++) {
            int p = comparePrerelease(prerelease.get(i), o.prerelease.get(i));
            if (p != 0) {
                return p;
            }
        }
        return Integer.signum(Integer.compare(prerelease.size(), o.prerelease.size()));
    }

    private static int comparePrerelease(String a, String b) {
        boolean numA = isNumeric(a);
        boolean numB = isNumeric(b);
        if (numA && numB) {
            return Integer.signum(new BigInteger(a).compareTo(new BigInteger(b)));
        }
        if (numA != numB) {
            return numA ? -1 : 1; // numeric identifiers rank below alphanumeric ones
        }
        return Integer.signum(a.compareTo(b));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Semver s && compareTo(s) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, prerelease);
    }

    @Override
    public String toString() {
        String s = major + "." + minor + "." + patch;
        if (!prerelease.isEmpty()) {
            s += "-" + String.join(".", prerelease);
        }
        if (!build.isEmpty()) {
            s += "+" + String.join(".", build);
        }
        return s;
    }
}
