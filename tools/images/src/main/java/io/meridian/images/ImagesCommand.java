package io.meridian.images;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code meridian images push}: builds the base image and every packaged service's image and pushes them, printing
 * each pushed image with its digest.
 */
public final class ImagesCommand {

    private static final String USAGE = """
            Usage: meridian images push --registry HOST[:PORT] [--tag TAG] [--insecure] [--repo DIR] [--work DIR]

            Builds Meridian's images with Jib (no Docker daemon, nothing pulled) and pushes them:
              <registry>/meridian-fleet/java-runtime:<tag>   the base: a jlink Java runtime and glibc, user 185
              <registry>/meridian-fleet/<service>:<tag>      one per services/<service>/target/quarkus-app

              --registry  where to push, e.g. 127.0.0.1:5000 or ghcr.io (credentials from ~/.docker/config.json)
              --tag       default: the release this build leads to (%s), the tag deploy/k8s names
              --insecure  allow plain HTTP (always allowed for a registry on localhost or 127.0.0.0/8)
              --repo      the repository root whose services are packaged (default: the current directory)
              --work      where the Java runtime and Jib's caches are kept (default: <repo>/tools/images/target/work)
            """;

    private ImagesCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("push")) {
            err.printf(USAGE, ImagePublisher.releaseTag());
            return 2;
        }
        String registry = null;
        String tag = ImagePublisher.releaseTag();
        boolean insecure = false;
        Path repo = Path.of("");
        Path work = null;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--insecure")) {
                insecure = true;
                continue;
            }
            if (i + 1 >= args.length || !option.startsWith("--")) {
                err.println("meridian images: unknown or incomplete option " + option);
                err.printf(USAGE, ImagePublisher.releaseTag());
                return 2;
            }
            String value = args[++i];
            switch (option) {
                case "--registry" -> registry = value;
                case "--tag" -> tag = value;
                case "--repo" -> repo = Path.of(value);
                case "--work" -> work = Path.of(value);
                default -> {
                    err.println("meridian images: unknown option " + option);
                    err.printf(USAGE, ImagePublisher.releaseTag());
                    return 2;
                }
            }
        }
        if (registry == null) {
            err.println("meridian images: --registry is required");
            return 2;
        }
        repo = repo.toAbsolutePath().normalize();
        if (work == null) {
            work = repo.resolve("tools/images/target/work");
        }
        try {
            PushTarget target =
                    new PushTarget(registry, tag, insecure || PushTarget.isLoopback(registry), work.toAbsolutePath());
            ImagePublisher.Publication publication = ImagePublisher.publish(repo, target);
            out.printf("%-14s %s%n", ImageName.JAVA_RUNTIME, publication.base());
            for (Map.Entry<String, PushedImage> image : publication.services().entrySet()) {
                out.printf("%-14s %s%n", image.getKey(), image.getValue());
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("meridian images: " + e.getMessage());
            return 1;
        }
    }
}
