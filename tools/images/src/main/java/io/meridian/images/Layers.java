package io.meridian.images;

import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/** What the layers of Meridian's images have in common. */
final class Layers {

    static final String VENDOR = "Meridian";

    private Layers() {}

    /**
     * Directories and executables 755, other files 644, owned by root: the non-root user reads and runs everything
     * and changes nothing, whatever umask made the files on the build host.
     */
    static FilePermissions permissions(Path source) {
        try {
            if (Files.isDirectory(source)) {
                return FilePermissions.fromOctalString("755");
            }
            boolean executable = Files.getPosixFilePermissions(source).contains(PosixFilePermission.OWNER_EXECUTE);
            return FilePermissions.fromOctalString(executable ? "755" : "644");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + source, e);
        }
    }
}
