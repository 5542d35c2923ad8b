package io.meridian.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in the test JVM with a config directory, clock and standard input of the test's choosing. */
public final class CliRun {

    /** What one run printed and how it exited. */
    public record Result(int exitCode, String out, String err) {}

    private final Path configDir;
    private final Clock clock;
    private final Map<String, String> env;
    /** Every wait the CLI asked for, in order, instead of waiting. */
    public final List<Duration> sleeps = new ArrayList<>();

    public CliRun(Path configDir, Clock clock, Map<String, String> env) {
        this.configDir = configDir;
        this.clock = clock;
        this.env = env;
    }

    public CliRun(Path configDir, Clock clock) {
        this(configDir, clock, Map.of());
    }

    public CliEnvironment environment(String stdin) {
        return new CliEnvironment(
                configDir, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), clock, sleeps::add);
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    public Result runWithInput(String stdin, String... args) {
        CommandLine commandLine = MeridianCommand.commandLine(environment(stdin));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
