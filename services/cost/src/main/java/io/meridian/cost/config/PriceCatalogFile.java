package io.meridian.cost.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meridian.cost.domain.PriceCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the shipped price catalog snapshot (YAML) into its record. */
public final class PriceCatalogFile {

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PriceCatalogFile() {}

    /** Loads a catalog from the classpath; a missing or broken catalog stops the service at startup. */
    public static PriceCatalog load(String resource) {
        try (InputStream in = PriceCatalogFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("price catalog '" + resource + "' is not on the classpath");
            }
            PriceCatalog catalog = YAML.readValue(in, PriceCatalog.class);
            if (catalog.ratioBase() == null || catalog.clouds().isEmpty()) {
                throw new IllegalStateException("price catalog '" + resource + "' has no ratioBase or no clouds");
            }
            return catalog;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price catalog '" + resource + "'", e);
        }
    }
}
