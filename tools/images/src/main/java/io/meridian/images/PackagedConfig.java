package io.meridian.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The configuration a packaged Quarkus fast-jar carries in its jars, looked up the way SmallRye Config does in the
 * {@code prod} profile when no environment variable or system property overrides it: what the image starts with.
 */
final class PackagedConfig {

    private static final String PROFILE_PREFIX = "%prod.";
    private static final int APPLICATION_PROPERTIES_ORDINAL = 250;
    private static final int MICROPROFILE_CONFIG_ORDINAL = 100;
    private static final int MAX_EXPANSION_DEPTH = 16;

    /** One properties file of the package, with the ordinal SmallRye Config gives it. */
    record Source(String name, int ordinal, Properties properties) {}

    // Highest ordinal first: the first source that has a key wins.
    private final List<Source> sources;

    PackagedConfig(List<Source> sources) {
        this.sources = sources.stream()
                .sorted(Comparator.comparingInt(Source::ordinal).reversed())
                .toList();
    }

    /**
     * Reads {@code application.properties} from the jars in {@code app/} and every
     * {@code META-INF/microprofile-config.properties} (libraries such as service-kit ship shared defaults there)
     * from {@code app/} and {@code lib/main/} of a fast-jar directory.
     */
    static PackagedConfig read(Path quarkusApp) {
        List<Source> sources = new ArrayList<>();
        for (Path jar : jars(quarkusApp.resolve("app"))) {
            load(jar, "application.properties", APPLICATION_PROPERTIES_ORDINAL).ifPresent(sources::add);
            load(jar, "META-INF/microprofile-config.properties", MICROPROFILE_CONFIG_ORDINAL)
                    .ifPresent(sources::add);
        }
        for (Path jar : jars(quarkusApp.resolve("lib").resolve("main"))) {
            load(jar, "META-INF/microprofile-config.properties", MICROPROFILE_CONFIG_ORDINAL)
                    .ifPresent(sources::add);
        }
        return new PackagedConfig(sources);
    }

    /**
     * The value of a key with expressions ({@code ${key}}, {@code ${key:default}}) expanded. A {@code %prod.} entry
     * wins over a plain one unless the plain one comes from a source of higher ordinal, as in SmallRye Config.
     */
    Optional<String> get(String key) {
        return get(key, 0);
    }

    private Optional<String> get(String key, int depth) {
        if (depth > MAX_EXPANSION_DEPTH) {
            throw new IllegalStateException("configuration expressions nest too deep at '" + key + "'");
        }
        Optional<Entry> profiled = raw(PROFILE_PREFIX + key);
        Optional<Entry> plain = raw(key);
        Optional<Entry> winner = profiled.isPresent()
                        && (plain.isEmpty()
                                || profiled.get().ordinal() >= plain.get().ordinal())
                ? profiled
                : plain;
        return winner.map(entry -> expand(entry.value(), depth));
    }

    private record Entry(String value, int ordinal) {}

    private Optional<Entry> raw(String key) {
        for (Source source : sources) {
            String value = source.properties().getProperty(key);
            if (value != null) {
                return Optional.of(new Entry(value.strip(), source.ordinal()));
            }
        }
        return Optional.empty();
    }

    private String expand(String value, int depth) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int start = value.indexOf("${", from);
            if (start < 0) {
                return out.append(value, from, value.length()).toString();
            }
            int end = value.indexOf('}', start);
            if (end < 0) {
                throw new IllegalStateException("unterminated expression in '" + value + "'");
            }
            out.append(value, from, start);
            String expression = value.substring(start + 2, end);
            int colon = expression.indexOf(':');
            String name = colon < 0 ? expression : expression.substring(0, colon);
            Optional<String> fallback = colon < 0 ? Optional.empty() : Optional.of(expression.substring(colon + 1));
            out.append(get(name, depth + 1)
                    .or(() -> fallback)
                    .orElseThrow(() -> new IllegalStateException(
                            "'" + value + "' refers to '" + name + "', which the package does not configure")));
            from = end + 1;
        }
    }

    private static List<Path> jars(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static Optional<Source> load(Path jar, String entryName, int defaultOrdinal) {
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry entry = file.getEntry(entryName);
            if (entry == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            try (InputStream in = file.getInputStream(entry)) {
                properties.load(in);
            }
            int ordinal = Integer.parseInt(properties
                    .getProperty("config_ordinal", Integer.toString(defaultOrdinal))
                    .strip());
            return Optional.of(new Source(jar.getFileName() + "!/" + entryName, ordinal, properties));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entryName + " in " + jar, e);
        }
    }
}
