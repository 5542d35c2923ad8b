package io.meridian.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The live heap of a service's JVM: what its objects hold after a full collection, the figure that says how much
 * memory the service needs (RSS also counts the heap the collector has not given back, and the JIT's and metaspace's
 * share). Measured with {@code jcmd <pid> GC.class_histogram}, which collects before it counts, from the JDK that runs
 * the bench (the one that started the services).
 */
final class LiveHeap {

    private static final long TIMEOUT_SECONDS = 120;

    private LiveHeap() {}

    /** What a class histogram says: the live bytes and the classes holding the most. */
    record Histogram(long totalBytes, List<ClassShare> top) {}

    /** One line of a histogram: a class, its instances and the bytes they hold (shallow). */
    record ClassShare(String className, long instances, long bytes) {}

    /** Bytes of live objects in the JVM of {@code pid}, after the full collection the histogram makes. */
    static long bytes(long pid) {
        return totalBytes(histogram(pid));
    }

    /** The live heap of the JVM of {@code pid} and the {@code top} classes that hold most of it. */
    static Histogram of(long pid, int top) {
        String histogram = histogram(pid);
        return new Histogram(totalBytes(histogram), top(histogram, top));
    }

    private static String histogram(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path output = null;
        try {
            // Into a file, not a pipe: the target prints at a safepoint, and a target that is this JVM could not drain
            // a full pipe until the safepoint ends.
            output = Files.createTempFile("bench-histogram-", ".txt");
            Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "GC.class_histogram"))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "jcmd " + pid + " GC.class_histogram took over " + TIMEOUT_SECONDS + " s");
            }
            String histogram = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " GC.class_histogram failed: " + tail(histogram));
            }
            return histogram;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /**
     * The bytes of the {@code Total} line of a class histogram ({@code Total <instances> <bytes>}).
     *
     * @throws IllegalArgumentException when the output has no such line (jcmd printed an error instead)
     */
    static long totalBytes(String histogram) {
        for (String line : histogram.lines().toList().reversed()) {
            String[] columns = line.strip().split("\\s+");
            if (columns.length == 3 && columns[0].equals("Total")) {
                return Long.parseLong(columns[2]);
            }
        }
        throw new IllegalArgumentException("no Total line in the class histogram: " + tail(histogram));
    }

    /**
     * The first {@code n} classes of a class histogram (jcmd sorts them by bytes, largest first), from lines such as
     * {@code 1:  166920  13452312  [B (java.base@25)}.
     */
    static List<ClassShare> top(String histogram, int n) {
        List<ClassShare> top = new ArrayList<>();
        for (String line : histogram.lines().toList()) {
            String[] columns = line.strip().split("\\s+", 4);
            if (top.size() < n && columns.length == 4 && columns[0].matches("\\d+:")) {
                top.add(new ClassShare(columns[3], Long.parseLong(columns[1]), Long.parseLong(columns[2])));
            }
        }
        return List.copyOf(top);
    }

    /** Bytes in MiB, one decimal, as the tables print memory. */
    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String tail(String output) {
        return output.length() <= 500
                ? output.strip()
                : "..." + output.substring(output.length() - 500).strip();
    }
}
