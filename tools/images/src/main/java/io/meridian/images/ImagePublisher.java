package io.meridian.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/** Builds the base image and one image per packaged service of a repository, and pushes them to one registry. */
public final class ImagePublisher {

    private ImagePublisher() {}

    /**
     * What one publication pushed.
     *
     * @param base the base image the services are built on
     * @param services each service's image, by service name
     */
    public record Publication(PushedImage base, SortedMap<String, PushedImage> services) {

        public Publication {
            services = Collections.unmodifiableSortedMap(new TreeMap<>(services));
        }
    }

    /**
     * Links the Java runtime, pushes the base image, then every service's image on top of it. Fails before any
     * work when a service is not packaged.
     */
    public static Publication publish(Path repo, PushTarget target) {
        List<PackagedService> services = PackagedService.discover(repo);
        if (services.isEmpty()) {
            throw new IllegalStateException("no services under " + repo.resolve("services"));
        }
        JavaRuntime runtime = JavaRuntime.link(target.workDirectory().resolve("java-runtime"));
        PushedImage base = BaseImage.push(runtime, target);
        SortedMap<String, PushedImage> pushed = new TreeMap<>();
        for (PackagedService service : services) {
            pushed.put(service.name(), ServiceImage.push(service, base, target));
        }
        return new Publication(base, pushed);
    }

    /**
     * The tag a build of this version gives its images: the release it leads to, which is what deploy/k8s names
     * ({@code 0.1.0} for {@code 0.1.0-SNAPSHOT}). A snapshot build therefore overwrites that tag: push snapshots
     * to a development registry only.
     */
    public static String releaseTag() {
        Properties build = new Properties();
        try (InputStream in = ImagePublisher.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the classpath");
            }
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build.properties", e);
        }
        return releaseTag(build.getProperty("version"));
    }

    static String releaseTag(String version) {
        return version.endsWith("-SNAPSHOT") ? version.substring(0, version.length() - "-SNAPSHOT".length()) : version;
    }
}
