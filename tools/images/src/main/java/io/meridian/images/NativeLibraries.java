package io.meridian.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The host's shared libraries (glibc and its dynamic loader) that the ELF files of a directory link to, as the
 * dynamic linker resolves them (with {@code ldd}): what an image built from scratch must carry beside them.
 */
final class NativeLibraries {

    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final long LDD_TIMEOUT_SECONDS = 30;

    /** What {@code ldd} printed for one file: the libraries it found, and the names it did not find. */
    record Resolution(Set<Path> found, Set<String> missing) {}

    private NativeLibraries() {}

    /**
     * The libraries outside {@code root} that the ELF files under {@code root} need, with absolute, normalized
     * paths as the host's dynamic linker found them (the interpreter, e.g. {@code /lib64/ld-linux-x86-64.so.2},
     * included). A library that is not found fails, unless {@code root} holds a file of that name: the JDK's own
     * libraries need {@code libjvm.so}, which the launcher has loaded before them.
     */
    static SortedSet<Path> neededBy(Path root) {
        Path base = root.toAbsolutePath().normalize();
        Set<String> shipped = new TreeSet<>();
        List<Path> elfFiles = new ArrayList<>();
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                shipped.add(file.getFileName().toString());
                if (isElf(file)) {
                    elfFiles.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
        SortedSet<Path> needed = new TreeSet<>();
        for (Path file : elfFiles) {
            Resolution resolution = parse(ldd(file));
            for (String name : resolution.missing()) {
                if (!shipped.contains(name)) {
                    throw new IllegalStateException(
                            file + " needs " + name + ", which neither " + base + " nor the host's library path has");
                }
            }
            resolution.found().stream()
                    .filter(library -> !library.startsWith(base))
                    .forEach(needed::add);
        }
        return needed;
    }

    /** Reads the output of {@code ldd <file>}. */
    static Resolution parse(String lddOutput) {
        Set<Path> found = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (String line : lddOutput.lines().map(String::strip).toList()) {
            int arrow = line.indexOf(" => ");
            if (arrow >= 0) {
                String name = line.substring(0, arrow);
                String target = line.substring(arrow + 4);
                if (target.startsWith("not found")) {
                    missing.add(name);
                } else if (target.startsWith("/")) {
                    found.add(Path.of(pathOf(target)).normalize());
                }
                // "name =>  (0x...)": a virtual library the kernel maps in (vDSO); nothing to ship.
            } else if (line.startsWith("/")) {
                // The dynamic loader itself, at the path written into the executable.
                found.add(Path.of(pathOf(line)).normalize());
            }
            // Anything else: the vDSO without an arrow, "statically linked", "not a dynamic executable".
        }
        return new Resolution(found, missing);
    }

    private static String pathOf(String target) {
        int address = target.indexOf(" (0x");
        return (address < 0 ? target : target.substring(0, address)).strip();
    }

    private static boolean isElf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(ELF_MAGIC.length), ELF_MAGIC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String ldd(Path file) {
        try {
            Process process = new ProcessBuilder("ldd", file.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(LDD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("ldd " + file + " did not finish");
            }
            // ldd exits 1 for a file that is not dynamically linked; its output says so and parses to nothing.
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot run ldd (Debian's libc-bin) to find the shared libraries of " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running ldd " + file, e);
        }
    }
}
