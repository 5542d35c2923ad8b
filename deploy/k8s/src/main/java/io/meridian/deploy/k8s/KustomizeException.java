package io.meridian.deploy.k8s;

/** A kustomization that cannot be rendered: kustomize refused it, or kubectl is missing or did not finish. */
public final class KustomizeException extends RuntimeException {

    public KustomizeException(String message) {
        super(message);
    }

    public KustomizeException(String message, Throwable cause) {
        super(message, cause);
    }
}
