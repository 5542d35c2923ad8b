package io.meridian.policy.domain.cel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The regular expressions of CEL ({@code matches}) and of the Kubernetes regex library ({@code find},
 * {@code findAll}): RE2 syntax and semantics, as cel-go and Kubernetes have, matched by RE2/J in time linear in
 * the subject. A policy author supplies the pattern, so it never reaches a backtracking engine; a Java-only
 * construct (a backreference, lookaround, a possessive quantifier) is refused as RE2 refuses it. Each match is
 * charged to the evaluation's {@link CelCostBudget}.
 */
public final class CelRegex {

    /** The functions whose last argument is a regular expression. */
    static final List<String> FUNCTIONS = List.of("matches", "find", "findAll");

    private static final int CACHE_LIMIT = 1024;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private CelRegex() {}

    /** Why RE2 refuses {@code regex}, or empty when it compiles. */
    public static Optional<String> problem(String regex) {
        try {
            compile(regex);
            return Optional.empty();
        } catch (CelEvaluationException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The bindings of CEL's standard {@code matches}, replacing dev.cel's (which compiles on every call). */
    static List<CelFunctionBinding> matchesBindings() {
        return List.of(
                CelFunctionBinding.from("matches", String.class, String.class, CelRegex::matches),
                CelFunctionBinding.from("matches_string", String.class, String.class, CelRegex::matches));
    }

    /** CEL {@code matches}: whether the pattern matches any substring (RE2 PartialMatch, as the CEL spec says). */
    static boolean matches(String s, String regex) throws CelEvaluationException {
        Pattern pattern = compile(regex);
        charge(s, regex);
        return pattern.matcher(s).find();
    }

    /** Kubernetes {@code find}: the first match, or the empty string. */
    static String find(String s, String regex) throws CelEvaluationException {
        Pattern pattern = compile(regex);
        charge(s, regex);
        Matcher m = pattern.matcher(s);
        return m.find() ? m.group() : "";
    }

    /** Kubernetes {@code findAll}: every match, at most {@code limit} of them when it is not negative. */
    static List<String> findAll(String s, String regex, long limit) throws CelEvaluationException {
        Pattern pattern = compile(regex);
        charge(s, regex);
        Matcher m = pattern.matcher(s);
        List<String> found = new ArrayList<>();
        while ((limit < 0 || found.size() < limit) && m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** What one match costs: the subject's traversal cost times the pattern's, as cel-go estimates regexes. */
    static long cost(long subjectLength, long regexLength) {
        return (1 + subjectLength / 10) * (1 + regexLength / 4);
    }

    private static void charge(String s, String regex) {
        CelCostBudget.chargeCurrent(cost(s.length(), regex.length()));
    }

    // Go's regexp/syntax wording, which a policy author sees from Kubernetes; RE2/J predates Go's "unexpected )"
    // and calls an unmatched closing parenthesis an internal error.
    private static String description(String regex, String re2j) {
        return re2j.contains("internal error") && hasUnmatchedClosingParen(regex) ? "unexpected )" : re2j;
    }

    private static boolean hasUnmatchedClosingParen(String regex) {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++; // an escaped character is a literal
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                // a ']' first in a class (after an optional '^') is a literal
                if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
                    i++;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                return true;
            }
        }
        return false;
    }

    private static Pattern compile(String regex) throws CelEvaluationException {
        Pattern cached = CACHE.get(regex);
        if (cached != null) {
            return cached;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new CelEvaluationException("invalid regular expression (RE2 syntax): error parsing regexp: "
                    + description(regex, e.getDescription()) + ": `" + regex + "`");
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear(); // patterns are few per policy; a flood of computed ones only costs recompiling
        }
        CACHE.put(regex, pattern);
        return pattern;
    }
}
