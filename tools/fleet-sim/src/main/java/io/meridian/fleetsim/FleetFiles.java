package io.meridian.fleetsim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** What a fleet leaves on disk for other tools: a kubeconfig per cluster, fleet.json and the control port. */
final class FleetFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FleetFiles() {}

    static void writeAll(Path dir, Fleet fleet) {
        fleet.clusters().forEach(c -> writeKubeconfig(dir, c.name(), c.kubeconfig()));
        fleet.capi().ifPresent(capi -> writeKubeconfig(dir, capi.name(), capi.kubeconfig()));
        writeFleetJson(dir, fleet);
        write(dir.resolve("control.port"), Integer.toString(fleet.controlPort()) + "\n");
    }

    static void writeKubeconfig(Path dir, String name, String kubeconfig) {
        write(dir.resolve("kubeconfigs").resolve(name + ".yaml"), kubeconfig);
    }

    static void writeFleetJson(Path dir, Fleet fleet) {
        try {
            write(dir.resolve("fleet.json"), JSON.writeValueAsString(fleet.registrations()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes through a temporary file and a rename, so that readers never see half a file. */
    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
