package io.meridian.images;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;

/**
 * An image reference with an explicit registry and tag, as in {@code ghcr.io/meridian-fleet/policy:0.1.0}.
 *
 * @param registry host and optional port, e.g. {@code ghcr.io} or {@code 127.0.0.1:25000}
 * @param repository the path within the registry, e.g. {@code meridian-fleet/policy}
 * @param tag e.g. {@code 0.1.0}
 */
public record ImageName(String registry, String repository, String tag) {

    /** Where released images live: the registry the Kubernetes manifests (deploy/k8s) pull from. */
    public static final String PUBLIC_REGISTRY = "ghcr.io";

    /** The first path segment of every Meridian image, in whichever registry it is pushed to. */
    public static final String NAMESPACE = "meridian-fleet";

    /** The repository (below {@link #NAMESPACE}) of the base image every service image is built on. */
    public static final String JAVA_RUNTIME = "java-runtime";

    public ImageName {
        if (!ImageReference.isValidRegistry(registry) || registry.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a registry host: " + registry);
        }
        if (!ImageReference.isValidRepository(repository)) {
            throw new IllegalArgumentException("not a repository: " + repository);
        }
        if (!ImageReference.isValidTag(tag)) {
            throw new IllegalArgumentException("not a tag: " + tag);
        }
    }

    /** The image of the service {@code services/<service>} in the given registry. */
    public static ImageName service(String registry, String service, String tag) {
        return new ImageName(registry, NAMESPACE + "/" + service, tag);
    }

    /** The base image in the given registry. */
    public static ImageName javaRuntime(String registry, String tag) {
        return new ImageName(registry, NAMESPACE + "/" + JAVA_RUNTIME, tag);
    }

    /**
     * Parses a reference that names its registry and its tag, the way Kubernetes manifests should: no implied
     * {@code docker.io}, no implied {@code latest}, no digest.
     */
    public static ImageName parse(String reference) {
        int slash = reference.indexOf('/');
        String first = slash < 0 ? "" : reference.substring(0, slash);
        // Docker's rule: the first segment is a registry only when it looks like a host.
        if (!(first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            throw new IllegalArgumentException("no registry in image reference '" + reference + "'");
        }
        if (reference.contains("@")) {
            throw new IllegalArgumentException("a digest in image reference '" + reference + "' is not supported");
        }
        String rest = reference.substring(slash + 1);
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no tag in image reference '" + reference + "'");
        }
        return new ImageName(first, rest.substring(0, colon), rest.substring(colon + 1));
    }

    /** The same repository and tag in another registry. */
    public ImageName inRegistry(String otherRegistry) {
        return new ImageName(otherRegistry, repository, tag);
    }

    /** Jib's form of this reference. */
    ImageReference toReference() {
        try {
            return ImageReference.parse(toString());
        } catch (InvalidImageReferenceException e) {
            throw new IllegalStateException("valid parts made an invalid reference: " + this, e);
        }
    }

    @Override
    public String toString() {
        return registry + "/" + repository + ":" + tag;
    }
}
