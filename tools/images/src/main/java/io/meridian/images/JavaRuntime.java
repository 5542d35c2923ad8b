package io.meridian.images;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * A Java runtime made with jlink from the JDK that runs this code, holding only the modules Meridian's services use.
 *
 * @param home the runtime's directory ({@code bin/java}, {@code lib/}, {@code conf/})
 * @param version the Java version it runs, e.g. {@code 25.0.3+9-LTS}
 */
public record JavaRuntime(Path home, String version) {

    /**
     * The modules every service needs: {@code jdeps --print-module-deps} over all jars of the packaged services
     * (java.desktop for java.beans in Hibernate, Jackson and Micrometer; java.rmi for JTA; jdk.unsupported for
     * Netty; jdk.management for Micrometer's process metrics), plus what libraries load by name at run time (DNS
     * and zip file systems, extra charsets, EC crypto, JFR). Build-time only modules (java.compiler, jdk.compiler
     * for Vert.x code generation) are left out. A service that needs another module fails at its first use of it.
     */
    static final List<String> MODULES = List.of(
            "java.base",
            "java.desktop",
            "java.instrument",
            "java.logging",
            "java.management",
            "java.naming",
            "java.net.http",
            "java.rmi",
            "java.scripting",
            "java.security.jgss",
            "java.security.sasl",
            "java.sql",
            "java.transaction.xa",
            "java.xml",
            "jdk.charsets",
            "jdk.crypto.ec",
            "jdk.jfr",
            "jdk.management",
            "jdk.naming.dns",
            "jdk.unsupported",
            "jdk.zipfs");

    /**
     * Native libraries of java.desktop that only a display or a sound card uses. They link to X11 and ALSA, which a
     * server image does not carry; a headless JVM never loads them.
     */
    static final List<String> DESKTOP_NATIVES =
            List.of("libawt_xawt.so", "libjawt.so", "libsplashscreen.so", "libjsound.so");

    /** Links the runtime into {@code output}, which is replaced. */
    public static JavaRuntime link(Path output) {
        ToolProvider jlink = ToolProvider.findFirst("jlink")
                .orElseThrow(() -> new IllegalStateException("no jlink in " + System.getProperty("java.home")
                        + ": run this with a full JDK (24 or newer, or one with its jmods), not a JRE"));
        deleteRecursively(output);
        List<String> arguments = List.of(
                "--add-modules",
                String.join(",", MODULES),
                "--strip-debug",
                "--no-man-pages",
                "--no-header-files",
                "--compress=zip-6",
                "--exclude-files",
                String.join(
                        ",", DESKTOP_NATIVES.stream().map(name -> "**/" + name).toList()),
                "--output",
                output.toString());
        StringWriter log = new StringWriter();
        try (PrintWriter writer = new PrintWriter(log)) {
            int status = jlink.run(writer, writer, arguments.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException(
                        "jlink " + String.join(" ", arguments) + " failed (" + status + "):\n" + log);
            }
        }
        return new JavaRuntime(output, Runtime.version().toString());
    }

    /** The runtime's {@code java} launcher. */
    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
