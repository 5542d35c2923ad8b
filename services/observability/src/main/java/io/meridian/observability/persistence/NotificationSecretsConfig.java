package io.meridian.observability.persistence;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * Keys for receiver secrets at rest ({@code meridian.notifications.secrets.*}), inventory's convention: an active
 * key id and base64 32-byte keys by id; older keys stay listed to decrypt what they sealed.
 */
@ConfigMapping(prefix = "meridian.notifications.secrets")
public interface NotificationSecretsConfig {

    /** Id of the key new secrets are sealed with; absent, receivers with a secret cannot be stored. */
    Optional<String> activeKeyId();

    /** Base64-encoded 32-byte AES keys by id. */
    Map<String, String> keys();
}
