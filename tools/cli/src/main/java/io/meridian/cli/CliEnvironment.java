package io.meridian.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the CLI takes from the world around it (config directory, environment, standard input, clock, a way to wait),
 * injected so that tests run it without touching the user's home or waiting for real time.
 */
public record CliEnvironment(Path configDir, Map<String, String> env, InputStream stdin, Clock clock, Sleeper sleeper) {

    /** Waits between polls (the device grant's interval); tests pass one that only records the wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** The environment of a real run: {@code $XDG_CONFIG_HOME/meridian}, else {@code ~/.config/meridian}. */
    public static CliEnvironment system() {
        Map<String, String> env = System.getenv();
        return new CliEnvironment(
                configDir(env, Path.of(System.getProperty("user.home"))),
                env,
                System.in,
                Clock.systemUTC(),
                d -> Thread.sleep(d.toMillis()));
    }

    /** The config directory the XDG base directory spec gives for {@code meridian}. */
    public static Path configDir(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "meridian");
        }
        return home.resolve(".config").resolve("meridian");
    }

    /** A variable of the environment, when set and not blank. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }
}
