package io.meridian.inventory.api;

/**
 * Cluster credentials as a client sends them: either a kubeconfig, or a bearer token with an optional
 * CA bundle. Write-only: never returned, never logged.
 */
public record CredentialsInput(String kubeconfig, String token, String caBundle, Boolean insecureSkipTlsVerify) {

    @Override
    public String toString() {
        return "CredentialsInput[" + (kubeconfig != null ? "kubeconfig" : token != null ? "token" : "none")
                + ", <redacted>]";
    }
}
