package io.meridian.policy.domain.cel;

import com.google.re2j.Pattern;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A format of the Kubernetes CEL format library ({@code format.dns1123Label()}, {@code format.named('uuid')}, ...)
 * as the CEL {@code kubernetes.NamedFormat} type. Each validates with the rules and messages of
 * k8s.io/apimachinery's validation (names, label values) or go-openapi/strfmt (uri, uuid, byte, date, datetime);
 * every pattern is RE2, linear in the (object-supplied) text.
 */
public record NamedFormat(String name) {

    private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
    private static final String DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE = "(" + QUALIFIED_NAME + ")?";

    private static final Pattern DNS1123_LABEL_RE = Pattern.compile(DNS1123_LABEL);
    private static final Pattern DNS1123_SUBDOMAIN_RE = Pattern.compile(DNS1123_SUBDOMAIN);
    private static final Pattern DNS1035_LABEL_RE = Pattern.compile(DNS1035_LABEL);
    private static final Pattern QUALIFIED_NAME_RE = Pattern.compile(QUALIFIED_NAME);
    private static final Pattern LABEL_VALUE_RE = Pattern.compile(LABEL_VALUE);
    private static final Pattern UUID_RE =
            Pattern.compile("(?i)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|([0-9a-f]{32})");
    private static final Pattern DATE_RE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern TIME_RE =
            Pattern.compile("([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))");
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

    private static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case"
            + " alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case"
            + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric"
            + " characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and"
            + " must start and end with an alphanumeric character";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric"
            + " characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /** Upstream's ConstantFormats: the name CEL uses, and how it validates. */
    private static final Map<String, Function<String, List<String>>> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("dns1123Label", s -> dns1123Label(s));
        FORMATS.put("dns1123Subdomain", s -> dns1123Subdomain(s));
        FORMATS.put("dns1035Label", s -> dns1035Label(s));
        FORMATS.put("qualifiedName", NamedFormat::qualifiedName);
        FORMATS.put("dns1123LabelPrefix", s -> dns1123Label(maskTrailingDash(s)));
        FORMATS.put("dns1123SubdomainPrefix", s -> dns1123Subdomain(maskTrailingDash(s)));
        FORMATS.put("dns1035LabelPrefix", s -> dns1035Label(maskTrailingDash(s)));
        FORMATS.put("labelValue", NamedFormat::labelValue);
        FORMATS.put("uri", s -> GoRequestUri.problem(s).map(List::of).orElse(List.of()));
        FORMATS.put("uuid", s -> UUID_RE.matches(s) ? List.of() : List.of("does not match the UUID format"));
        FORMATS.put("byte", s -> isBase64(s) ? List.of() : List.of("invalid base64"));
        FORMATS.put("date", s -> isDate(s) ? List.of() : List.of("invalid date"));
        FORMATS.put("datetime", s -> isDateTime(s) ? List.of() : List.of("invalid datetime"));
    }

    /** The names {@code format.named} knows, each also a function {@code format.<name>()}. */
    public static List<String> names() {
        return List.copyOf(FORMATS.keySet());
    }

    /** {@code format.named(name)}. */
    public static Optional<NamedFormat> named(String name) {
        return FORMATS.containsKey(name) ? Optional.of(new NamedFormat(name)) : Optional.empty();
    }

    /** {@code <format>.validate(s)}: empty when valid, otherwise every reason it is not. */
    public Optional<List<String>> validate(String s) {
        List<String> problems = FORMATS.get(name).apply(s);
        return problems.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(problems));
    }

    // apimachinery's NameIsDNS*(name, prefix=true): a generateName prefix may end with '-'
    private static String maskTrailingDash(String s) {
        return s.length() > 1 && s.endsWith("-") ? s.substring(0, s.length() - 2) + "a" : s;
    }

    private static List<String> dns1123Label(String s) {
        List<String> errs = new ArrayList<>();
        if (s.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1123_LABEL_RE.matches(s)) {
            errs.add(
                    DNS1123_SUBDOMAIN_RE.matches(s)
                            ? "must not contain dots"
                            : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL, "my-name", "123-abc"));
        }
        return errs;
    }

    private static List<String> dns1123Subdomain(String s) {
        List<String> errs = new ArrayList<>();
        if (s.length() > 253) {
            errs.add(maxLen(253));
        }
        if (!DNS1123_SUBDOMAIN_RE.matches(s)) {
            errs.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN, "example.com"));
        }
        return errs;
    }

    private static List<String> dns1035Label(String s) {
        List<String> errs = new ArrayList<>();
        if (s.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1035_LABEL_RE.matches(s)) {
            errs.add(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL, "my-name", "abc-123"));
        }
        return errs;
    }

    private static List<String> qualifiedName(String s) {
        List<String> errs = new ArrayList<>();
        String[] parts = s.split("/", -1); // a one-character literal: String.split's fast path, no regex
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(prefix).forEach(m -> errs.add("prefix part " + m));
            }
        } else {
            errs.add("a qualified name "
                    + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part " + maxLen(63));
        }
        if (!QUALIFIED_NAME_RE.matches(name)) {
            errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    private static List<String> labelValue(String s) {
        List<String> errs = new ArrayList<>();
        if (s.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL_VALUE_RE.matches(s)) {
            errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    private static String maxLen(int length) {
        return "must be no more than " + length + " characters";
    }

    // apimachinery's RegexError, spacing included
    private static String regexError(String msg, String fmt, String... examples) {
        StringBuilder out = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                out.append(" or ");
            }
            out.append('\'').append(examples[i]).append("', ");
        }
        return out.append("regex used for validation is '")
                .append(fmt)
                .append("')")
                .toString();
    }

    // Go's base64.StdEncoding: padding required, CR and LF ignored
    private static boolean isBase64(String s) {
        StringBuilder compact = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\r' && c != '\n') {
                compact.append(c);
            }
        }
        if (compact.length() % 4 != 0) {
            return false;
        }
        try {
            Base64.getDecoder().decode(compact.toString());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isDate(String s) {
        if (!DATE_RE.matches(s)) {
            return false;
        }
        try {
            LocalDate.parse(s, DATE);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    // strfmt.IsDateTime: a date, 't', and a time checked by pattern and by string comparison of its fields
    private static boolean isDateTime(String s) {
        if (s.length() < 4) {
            return false;
        }
        String[] parts = s.toLowerCase(Locale.ROOT).split("t", -1);
        if (parts.length < 2 || !isDate(parts[0])) {
            return false;
        }
        com.google.re2j.Matcher m = TIME_RE.matcher(parts[1]);
        if (!m.matches()) {
            return false;
        }
        return m.group(1).compareTo("23") <= 0
                && m.group(2).compareTo("59") <= 0
                && m.group(3).compareTo("59") <= 0;
    }
}
