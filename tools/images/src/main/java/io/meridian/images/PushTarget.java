package io.meridian.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.nio.file.Path;

/**
 * Where the images go and what they are called there.
 *
 * @param registry host and optional port of the registry
 * @param tag the tag of every image pushed, the base image's included
 * @param insecure whether the registry may be spoken to over plain HTTP (a local test registry)
 * @param workDirectory where the jlink runtime and Jib's layer caches are kept between runs
 */
public record PushTarget(String registry, String tag, boolean insecure, Path workDirectory) {

    private static final System.Logger LOG = System.getLogger(PushTarget.class.getName());

    /** Whether the registry is on this machine (localhost, 127.0.0.0/8, ::1): then plain HTTP is fine. */
    public static boolean isLoopback(String registry) {
        String host;
        if (registry.startsWith("[")) {
            int end = registry.indexOf(']');
            host = end < 0 ? registry : registry.substring(1, end);
        } else {
            int colon = registry.lastIndexOf(':');
            host = colon < 0 ? registry : registry.substring(0, colon);
        }
        // Decided from the text alone: a registry's name is never resolved just to choose the protocol.
        return host.equals("localhost") || host.equals("::1") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    ImageName serviceImage(String service) {
        return ImageName.service(registry, service, tag);
    }

    ImageName baseImage() {
        return ImageName.javaRuntime(registry, tag);
    }

    /** The image for Jib to push to, with the credentials of {@code ~/.docker/config.json} if any. */
    RegistryImage registryImage(ImageName name) {
        return withCredentials(name.toReference());
    }

    /** An image of this registry by digest, for Jib to build on: exactly the image pushed, whatever its tag does. */
    RegistryImage registryImage(PushedImage image) {
        return withCredentials(ImageReference.of(
                image.name().registry(), image.name().repository(), image.name().tag(), image.digest()));
    }

    Containerizer containerizer(ImageName name) {
        Path cache = workDirectory.resolve("jib-cache");
        return Containerizer.to(registryImage(name))
                .setToolName("meridian-images")
                .setAllowInsecureRegistries(insecure)
                .setBaseImageLayersCache(cache.resolve("base"))
                .setApplicationLayersCache(cache.resolve("application"))
                .addEventHandler(LogEvent.class, this::log);
    }

    private RegistryImage withCredentials(ImageReference reference) {
        return RegistryImage.named(reference)
                .addCredentialRetriever(CredentialRetrieverFactory.forImage(reference, this::log)
                        .dockerConfig());
    }

    private void log(LogEvent event) {
        System.Logger.Level level = switch (event.getLevel()) {
            case ERROR -> System.Logger.Level.ERROR;
            case WARN -> expectedFallback(event.getMessage()) ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING;
            case LIFECYCLE, PROGRESS, INFO -> System.Logger.Level.DEBUG;
            case DEBUG -> System.Logger.Level.TRACE;
        };
        LOG.log(level, event.getMessage());
    }

    /**
     * Jib always tries HTTPS first and warns on each connection that falls back to plain HTTP: for a registry on this
     * machine that fallback is the plan, not news.
     */
    private boolean expectedFallback(String message) {
        return insecure
                && isLoopback(registry)
                && (message.startsWith("Cannot verify server at https://")
                        || message.startsWith("Failed to connect to https://"));
    }
}
