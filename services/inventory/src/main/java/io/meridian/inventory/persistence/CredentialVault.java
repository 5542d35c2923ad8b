package io.meridian.inventory.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.inventory.config.InventoryConfig;
import io.meridian.inventory.credentials.ClusterCredentials;
import io.meridian.inventory.credentials.CredentialCipher;
import io.meridian.inventory.credentials.EncryptedSecret;
import io.meridian.inventory.credentials.KeyRing;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;

/**
 * Seals cluster credentials for storage and opens them for the connection that needs them. The
 * cluster name is the associated data, so a ciphertext copied to another cluster's row does not open.
 */
@ApplicationScoped
public class CredentialVault {

    /** Ciphertext in its storage form, with what the registry records next to it. */
    public record Sealed(String kind, String storage, String keyId) {
        @Override
        public String toString() {
            return "Sealed[kind=" + kind + ", keyId=" + keyId + "]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CredentialCipher cipher;

    CredentialVault(InventoryConfig config) {
        KeyRing ring;
        try {
            ring = KeyRing.parse(
                    config.credentials().activeKeyId(), config.credentials().keys());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    e.getMessage() + ". Key ids given as environment variables arrive"
                            + " lower-case (MERIDIAN_INVENTORY_CREDENTIALS_KEYS_K1 is key 'k1'), so name the active key"
                            + " in lower case too (MERIDIAN_INVENTORY_CREDENTIALS_ACTIVE_KEY_ID=k1)",
                    e);
        }
        this.cipher = new CredentialCipher(ring, new SecureRandom());
    }

    public Sealed seal(String clusterName, ClusterCredentials credentials) {
        ObjectNode node = JSON.createObjectNode();
        String kind;
        switch (credentials) {
            case ClusterCredentials.Kubeconfig k -> {
                kind = "kubeconfig";
                node.put("kubeconfig", k.yaml());
            }
            case ClusterCredentials.BearerToken t -> {
                kind = "token";
                node.put("token", t.token());
                node.put("caBundle", t.caBundlePem());
                node.put("insecureSkipTlsVerify", t.insecureSkipTlsVerify());
            }
        }
        node.put("kind", kind);
        try {
            EncryptedSecret secret = cipher.encrypt(JSON.writeValueAsBytes(node), clusterName);
            return new Sealed(kind, secret.toStorage(), secret.keyId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ClusterCredentials open(String clusterName, String storage) {
        byte[] plain = cipher.decrypt(EncryptedSecret.fromStorage(storage), clusterName);
        try {
            JsonNode node = JSON.readTree(plain);
            return switch (node.path("kind").asText()) {
                case "kubeconfig" ->
                    new ClusterCredentials.Kubeconfig(node.path("kubeconfig").asText());
                case "token" ->
                    new ClusterCredentials.BearerToken(
                            node.path("token").asText(),
                            node.path("caBundle").isNull()
                                    ? null
                                    : node.path("caBundle").asText(null),
                            node.path("insecureSkipTlsVerify").asBoolean());
                default ->
                    throw new IllegalStateException("stored credentials of cluster " + clusterName
                            + " have an unknown kind '" + node.path("kind").asText() + "'");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("stored credentials of cluster " + clusterName + " are unreadable", e);
        }
    }

    /** Refuses to start with unusable keys, rather than failing the first registration. */
    void verifyKeysAtStartup(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        seal("startup-check", new ClusterCredentials.BearerToken("startup-check", null, false));
    }

    /** Whether a stored secret was encrypted with a key other than the active one. */
    public boolean needsRotation(String storage) {
        return cipher.needsRotation(EncryptedSecret.fromStorage(storage));
    }

    /**
     * The stored secret re-encrypted under the active key, the plaintext never leaving this call; the same secret
     * when it already is under the active key.
     *
     * @throws io.meridian.inventory.credentials.CredentialDecryptionException when it cannot be decrypted (its key
     *     is not configured, or it fails authentication); the message names the key id, never the secret
     */
    public Sealed reseal(String clusterName, String storage) {
        EncryptedSecret secret = cipher.rotate(EncryptedSecret.fromStorage(storage), clusterName);
        return new Sealed(null, secret.toStorage(), secret.keyId());
    }

    /** The key new credentials are encrypted with. */
    public String activeKeyId() {
        return cipher.keyRing().activeKeyId();
    }

    /** Every configured key id, the active one included. */
    public java.util.Set<String> keyIds() {
        return cipher.keyRing().keys().keySet();
    }
}
