package io.meridian.contracts.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * The SCRAM passwords of a local stack: one file per principal, {@code <dir>/<user>.password}, readable by its owner
 * only, made once per stack home and kept across {@code stack reset}. Deployments get theirs from Strimzi instead.
 */
public final class UserPasswords {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    public UserPasswords(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The file of a principal's password. */
    public Path file(KafkaPrincipal principal) {
        return dir.resolve(principal.userName() + ".password");
    }

    /** The login of a principal whose password file exists. */
    public ScramLogin login(KafkaPrincipal principal) {
        Path file = file(principal);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no password for Kafka user " + principal.userName() + " (" + file
                    + " is missing; bin/meridian stack up makes it)");
        }
        return ScramLogin.of(principal, read(file));
    }

    /**
     * The login of a principal, making its password first when it has none: 32 random letters and digits (190
     * bits), which need no quoting in a JAAS configuration or an environment variable.
     */
    public ScramLogin ensure(KafkaPrincipal principal) {
        Path file = file(principal);
        if (Files.isRegularFile(file)) {
            return ScramLogin.of(principal, read(file));
        }
        StringBuilder password = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        try {
            createOwnerOnlyDirectory();
            // Created with owner-only permissions, so the password is never readable by others, not even briefly.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(file, password, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException raced) {
            // Another bootstrap made it first: use that one.
            return ScramLogin.of(principal, read(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return ScramLogin.of(principal, password.toString());
    }

    private void createOwnerOnlyDirectory() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        if (!EnumSet.copyOf(OWNER_ONLY_DIR).containsAll(permissions)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
