package io.meridian.bench;

import java.util.Map;

/** The {@code --name value} options of a bench command, as {@link Bench#main} read them. */
final class Options {

    private Options() {}

    /** The whole number given for {@code name}, or {@code fallback} when it is not given. */
    static int number(Map<String, String> options, String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }
}
