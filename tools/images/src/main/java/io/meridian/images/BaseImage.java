package io.meridian.images;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The base image of every service, built from scratch so that nothing is pulled: the host's glibc, its dynamic
 * loader and its C.UTF-8 locale, a jlink Java runtime in {@code /opt/java}, the user {@code meridian} (185) and a writable {@code /tmp}.
 * No shell, no package manager.
 */
final class BaseImage {

    static final AbsoluteUnixPath JAVA_HOME = AbsoluteUnixPath.get("/opt/java");

    /** 185, the uid Quarkus' and Red Hat's Java images run as; deploy/k8s' pods run as it too. */
    static final int UID = 185;

    static final String USER = UID + ":" + UID;
    static final String USER_NAME = "meridian";

    private static final Path UTF8_LOCALE = Path.of("/usr/lib/locale/C.utf8");

    // The layers, bottom first: the one that changes least (glibc) under the one that changes most (the JDK).
    static final String GLIBC_LAYER = "glibc";
    static final String SYSTEM_LAYER = "system";
    static final String JAVA_RUNTIME_LAYER = "java-runtime";

    private BaseImage() {}

    static PushedImage push(JavaRuntime runtime, PushTarget target) {
        ImageName name = target.baseImage();
        Path systemFiles = writeSystemFiles(target.workDirectory().resolve("base-system-files"));

        FileEntriesLayer.Builder glibc = FileEntriesLayer.builder().setName(GLIBC_LAYER);
        // At the host's paths: the loader's path is written into every executable, and the loader searches the
        // multiarch directories it finds the rest in even without an ld.so.cache.
        for (Path library : NativeLibraries.neededBy(runtime.home())) {
            glibc.addEntry(library, AbsoluteUnixPath.get(library.toString()), FilePermissions.fromOctalString("755"));
        }
        // glibc's C.UTF-8 is a locale on disk, not built in: without it Java reads and writes file names as ASCII.
        if (!Files.isDirectory(UTF8_LOCALE)) {
            throw new IllegalStateException("no C.UTF-8 locale at " + UTF8_LOCALE + " (Debian's libc-bin has it)");
        }
        try {
            glibc.addEntryRecursive(
                    UTF8_LOCALE,
                    AbsoluteUnixPath.get(UTF8_LOCALE.toString()),
                    (source, destination) -> Layers.permissions(source));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + UTF8_LOCALE, e);
        }

        FileEntriesLayer system = FileEntriesLayer.builder()
                .setName(SYSTEM_LAYER)
                .addEntry(systemFiles.resolve("passwd"), AbsoluteUnixPath.get("/etc/passwd"), readOnly())
                .addEntry(systemFiles.resolve("group"), AbsoluteUnixPath.get("/etc/group"), readOnly())
                .addEntry(systemFiles.resolve("nsswitch.conf"), AbsoluteUnixPath.get("/etc/nsswitch.conf"), readOnly())
                // World-writable without the sticky bit (a Jib layer cannot carry it): one user runs in the image,
                // and Kubernetes mounts an emptyDir here anyway when the root file system is read-only.
                .addEntry(
                        systemFiles.resolve("tmp"),
                        AbsoluteUnixPath.get("/tmp"),
                        FilePermissions.fromOctalString("777"))
                .build();

        FileEntriesLayer java;
        try {
            java = FileEntriesLayer.builder()
                    .setName(JAVA_RUNTIME_LAYER)
                    .addEntryRecursive(runtime.home(), JAVA_HOME, (source, destination) -> Layers.permissions(source))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Java runtime in " + runtime.home(), e);
        }

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", "meridian-" + ImageName.JAVA_RUNTIME);
        labels.put(
                "org.opencontainers.image.description",
                "A jlink Java " + runtime.version() + " runtime on glibc, without a shell, for Meridian's services");
        labels.put("org.opencontainers.image.version", target.tag());
        labels.put("org.opencontainers.image.vendor", Layers.VENDOR);
        labels.put("io.meridian.java.version", runtime.version());

        try {
            JibContainer container = Jib.fromScratch()
                    .setFormat(ImageFormat.OCI)
                    .setPlatforms(Set.of(new Platform(architecture(), "linux")))
                    // Reproducible: the same runtime and libraries give the same digest.
                    .setCreationTime(Instant.EPOCH)
                    .setFileEntriesLayers(glibc.build(), system, java)
                    .setEnvironment(Map.of(
                            "JAVA_HOME",
                            JAVA_HOME.toString(),
                            "PATH",
                            JAVA_HOME.resolve("bin") + ":/usr/bin:/bin",
                            // The locale the glibc layer carries: Java then reads and writes file names as UTF-8.
                            "LANG",
                            "C.UTF-8"))
                    .setUser(USER)
                    .setLabels(labels)
                    .setEntrypoint(JAVA_HOME.resolve("bin").resolve("java").toString())
                    .setProgramArguments("-version")
                    .containerize(target.containerizer(name));
            return new PushedImage(name, container.getDigest().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing " + name, e);
        } catch (RegistryException | IOException | CacheDirectoryCreationException | ExecutionException e) {
            throw new IllegalStateException("cannot build or push " + name + ": " + e.getMessage(), e);
        }
    }

    private static Path writeSystemFiles(Path directory) {
        try {
            Files.createDirectories(directory.resolve("tmp"));
            // Home is /tmp: under Kubernetes' read-only root file system it is the one writable place.
            Files.writeString(
                    directory.resolve("passwd"),
                    "root:x:0:0:root:/root:/sbin/nologin\n" + USER_NAME + ":x:" + UID + ":" + UID
                            + ":Meridian:/tmp:/sbin/nologin\n",
                    StandardCharsets.UTF_8);
            Files.writeString(
                    directory.resolve("group"),
                    "root:x:0:\n" + USER_NAME + ":x:" + UID + ":\n",
                    StandardCharsets.UTF_8);
            // glibc reads users from /etc/passwd and resolves hosts from the files the runtime mounts, then DNS.
            Files.writeString(
                    directory.resolve("nsswitch.conf"),
                    "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n",
                    StandardCharsets.UTF_8);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the base image's system files in " + directory, e);
        }
    }

    private static FilePermissions readOnly() {
        return FilePermissions.fromOctalString("644");
    }

    /** The image's architecture in OCI's words: the libraries come from this host, so it is this host's. */
    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new IllegalStateException("no OCI architecture known for os.arch " + arch);
        };
    }
}
