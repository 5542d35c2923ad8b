package io.meridian.cli.stream;

import picocli.CommandLine.Option;

/** The options every tail shares: where to start, whether to follow, how to print. */
public final class TailOptions {

    /** How records are printed. */
    public enum Output {
        table,
        json
    }

    @Option(
            names = "--from",
            paramLabel = "WHEN",
            defaultValue = "1h",
            description = {
                "Where to start: an ISO time (2026-12-06T03:00:00Z), a duration back from now (30m, 1h, 2d),",
                "an offset in every partition (42), beginning or end. Default: ${DEFAULT-VALUE}."
            })
    String from;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new records (Ctrl-C stops); without it, stop at the end seen at start.")
    boolean follow;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table or json (one object a line). Default: ${DEFAULT-VALUE}.")
    Output output;
}
