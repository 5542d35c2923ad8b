package io.meridian.contracts.selector;

import io.meridian.contracts.selector.LabelSelector.Operator;
import io.meridian.contracts.selector.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the {@code kubectl -l} string form of a label selector in one pass over the text, as Kubernetes'
 * {@code labels.Parse} does: a hand-written lexer and recursive descent, so the time is linear in the input whatever
 * a caller sends (no regular expressions, no backtracking).
 */
final class SelectorParser {

    private static final int MAX_ECHO = 80;

    private enum Kind {
        WORD,
        NOT,
        EQUALS,
        DOUBLE_EQUALS,
        NOT_EQUALS,
        OPEN,
        CLOSE,
        COMMA,
        GREATER,
        LESS,
        END
    }

    private record Token(Kind kind, String text, int start, int end) {
        String describe() {
            return kind == Kind.END ? "the end of the selector" : "'" + abbreviate(text) + "'";
        }
    }

    private final String text;
    private int position;
    private Token lookahead;
    private int requirementStart;

    private SelectorParser(String text) {
        this.text = text;
    }

    static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return LabelSelector.EVERYTHING;
        }
        return new SelectorParser(text).selector();
    }

    private LabelSelector selector() {
        Map<String, String> matchLabels = new LinkedHashMap<>();
        List<Requirement> expressions = new ArrayList<>();
        while (true) {
            requirement(matchLabels, expressions);
            Token separator = next();
            if (separator.kind() == Kind.END) {
                return new LabelSelector(matchLabels, expressions);
            }
            if (separator.kind() != Kind.COMMA) {
                throw fail(separator, "expected ',' before the next requirement, found " + separator.describe());
            }
        }
    }

    private void requirement(Map<String, String> matchLabels, List<Requirement> expressions) {
        Token first = next();
        requirementStart = first.start();
        switch (first.kind()) {
            case NOT -> {
                Token key = next();
                if (key.kind() != Kind.WORD) {
                    throw fail(key, "expected a label key after '!', found " + key.describe());
                }
                expressions.add(Requirement.doesNotExist(key(key)));
            }
            case WORD -> {
                String key = key(first);
                Token operator = peek();
                if (operator.kind() == Kind.COMMA || operator.kind() == Kind.END) {
                    expressions.add(Requirement.exists(key));
                    return;
                }
                next();
                switch (operator.kind()) {
                    case EQUALS, DOUBLE_EQUALS -> {
                        String value = exactValue(operator);
                        if (matchLabels.containsKey(key)) {
                            expressions.add(Requirement.in(key, value)); // key=a,key=b: both must hold
                        } else {
                            matchLabels.put(key, value);
                        }
                    }
                    case NOT_EQUALS -> expressions.add(Requirement.notIn(key, exactValue(operator)));
                    case GREATER, LESS ->
                        throw fail(
                                operator,
                                "the operator '" + operator.text() + "' is not supported; use =, ==, !=, in, notin,"
                                        + " a key alone or !key");
                    case WORD -> {
                        Operator set = switch (operator.text()) {
                            case "in" -> Operator.IN;
                            case "notin" -> Operator.NOT_IN;
                            default -> throw fail(operator, expectedOperator(key, operator));
                        };
                        expressions.add(new Requirement(key, set, valueSet(operator)));
                    }
                    default -> throw fail(operator, expectedOperator(key, operator));
                }
            }
            case COMMA ->
                throw fail(
                        first,
                        "empty requirement: ',' at position " + first.start() + " of '" + abbreviate(text)
                                + "' follows another ',' or starts the selector");
            case END -> throw fail(first, "'" + abbreviate(text) + "' must not end with ','");
            default -> throw fail(first, "expected a label key or '!', found " + first.describe());
        }
    }

    private static String expectedOperator(String key, Token found) {
        return "expected '=', '==', '!=', 'in' or 'notin' after the key '" + abbreviate(key) + "', found "
                + found.describe();
    }

    /** The value of {@code key=value}: absent (before ',' or the end) is the empty value, as in Kubernetes. */
    private String exactValue(Token operator) {
        Token value = peek();
        if (value.kind() == Kind.COMMA || value.kind() == Kind.END) {
            return "";
        }
        next();
        if (value.kind() != Kind.WORD) {
            throw fail(value, "expected a value after '" + operator.text() + "', found " + value.describe());
        }
        return value(value);
    }

    /** {@code (a,b)} as a sorted set; an item left empty ({@code (a,)}) is the empty value, as in Kubernetes. */
    private List<String> valueSet(Token operator) {
        Token open = next();
        if (open.kind() != Kind.OPEN) {
            throw fail(
                    open,
                    "values must be in parentheses after '" + operator.text() + "', e.g. (a,b); found "
                            + open.describe());
        }
        if (peek().kind() == Kind.CLOSE) {
            throw fail(next(), "the values in parentheses must not be empty");
        }
        Set<String> values = new TreeSet<>(); // a set, as in Kubernetes: sorted, so the string form round-trips
        while (true) {
            Token item = peek();
            if (item.kind() == Kind.WORD) {
                next();
                values.add(value(item));
            } else if (item.kind() == Kind.COMMA || item.kind() == Kind.CLOSE) {
                values.add("");
            } else {
                throw fail(item, "expected a value in parentheses, found " + item.describe());
            }
            Token after = next();
            if (after.kind() == Kind.CLOSE) {
                return List.copyOf(values);
            }
            if (after.kind() != Kind.COMMA) {
                throw fail(
                        after,
                        after.kind() == Kind.END
                                ? "the values must be closed with ')' (parentheses, e.g. (a,b))"
                                : "expected ',' or ')' after a value, found " + after.describe());
            }
        }
    }

    private String key(Token token) {
        String problem = LabelSyntax.keyProblem(token.text());
        if (problem != null) {
            throw fail(token, problem);
        }
        return token.text();
    }

    private String value(Token token) {
        String problem = LabelSyntax.valueProblem(token.text());
        if (problem != null) {
            throw fail(token, problem);
        }
        return token.text();
    }

    private InvalidSelectorException fail(Token at, String problem) {
        String requirement = text.substring(requirementStart, Math.max(requirementStart, at.end()))
                .strip();
        if (requirement.isEmpty() || requirement.equals(",")) {
            return new InvalidSelectorException("label selector: " + problem);
        }
        return new InvalidSelectorException("'" + abbreviate(requirement) + "': " + problem);
    }

    private static String abbreviate(String s) {
        return s.length() > MAX_ECHO ? s.substring(0, MAX_ECHO) + "..." : s;
    }

    // ---------------------------------------------------------------- lexer

    private Token peek() {
        if (lookahead == null) {
            lookahead = scan();
        }
        return lookahead;
    }

    private Token next() {
        Token token = peek();
        lookahead = null;
        return token;
    }

    private Token scan() {
        while (position < text.length() && isWhitespace(text.charAt(position))) {
            position++;
        }
        int start = position;
        if (position == text.length()) {
            return new Token(Kind.END, "", start, start);
        }
        char c = text.charAt(position);
        char following = position + 1 < text.length() ? text.charAt(position + 1) : 0;
        Kind kind = switch (c) {
            case '!' -> following == '=' ? Kind.NOT_EQUALS : Kind.NOT;
            case '=' -> following == '=' ? Kind.DOUBLE_EQUALS : Kind.EQUALS;
            case '(' -> Kind.OPEN;
            case ')' -> Kind.CLOSE;
            case ',' -> Kind.COMMA;
            case '>' -> Kind.GREATER;
            case '<' -> Kind.LESS;
            default -> Kind.WORD;
        };
        if (kind == Kind.WORD) {
            while (position < text.length()
                    && !isWhitespace(text.charAt(position))
                    && !isSpecial(text.charAt(position))) {
                position++;
            }
        } else {
            position += kind == Kind.NOT_EQUALS || kind == Kind.DOUBLE_EQUALS ? 2 : 1;
        }
        return new Token(kind, text.substring(start, position), start, position);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecial(char c) {
        return c == '!' || c == '=' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }
}
