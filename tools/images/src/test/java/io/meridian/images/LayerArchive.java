package io.meridian.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** A pulled layer (a gzip'd tar), read as a container runtime reads it. */
final class LayerArchive {

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };

    /**
     * One entry of a layer.
     *
     * @param path the path in the image, without a leading slash, directories with a trailing one
     * @param mode the permission bits
     * @param uid the owner
     */
    record Entry(String path, int mode, long uid) {}

    private LayerArchive() {}

    static List<Entry> entries(Path layer) {
        List<Entry> entries = new ArrayList<>();
        try (TarArchiveInputStream tar = open(layer)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.add(new Entry(entry.getName(), entry.getMode() & 0777, entry.getLongUserId()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read layer " + layer, e);
        }
        return entries;
    }

    /** Unpacks the layer over {@code root}, with its permission bits, as the next layer of a root file system. */
    static void unpack(Path layer, Path root) {
        try (TarArchiveInputStream tar = open(layer)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target =
                        root.resolve(entry.getName().replaceFirst("^/+", "")).normalize();
                if (!target.startsWith(root) || entry.getName().contains(".wh.")) {
                    throw new IllegalStateException(
                            "layer " + layer + " has an entry an image of ours never has: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    throw new IllegalStateException("layer " + layer + " has a link or device: " + entry.getName());
                }
                Files.setPosixFilePermissions(target, permissions(entry.getMode()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack layer " + layer, e);
        }
    }

    private static TarArchiveInputStream open(Path layer) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(layer), 1 << 16);
        return new TarArchiveInputStream(in);
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(BITS[bit]);
            }
        }
        return permissions;
    }
}
