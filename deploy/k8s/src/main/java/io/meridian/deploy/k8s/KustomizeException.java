package io.meridian.deploy.k8s;

/** A kustomization that cannot be rendered: broken YAML, a missing file, or a feature the renderer lacks. */
public final class KustomizeException extends RuntimeException {

    public KustomizeException(String message) {
        super(message);
    }

    public KustomizeException(String message, Throwable cause) {
        super(message, cause);
    }
}
