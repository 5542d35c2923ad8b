package io.meridian.inventory.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A registered cluster. {@code credentialSecret} is ciphertext; nothing here is ever sent as is.
 *
 * <p>Updates write only the columns that changed: {@link CredentialReencryption} rewrites the credential columns
 * under a row lock without touching the version, and a concurrent change of, say, the labels must not write the
 * ciphertext it read before back over the re-encrypted one.
 */
@Entity
@Table(name = "cluster")
@DynamicUpdate
public class ClusterEntity {

    @Id
    public String name;

    @Column(name = "display_name")
    public String displayName;

    public String cloud;
    public String region;
    public String environment;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels;

    @Column(name = "api_server_url")
    public String apiServerUrl;

    @Column(name = "metrics_url")
    public String metricsUrl;

    @Column(name = "credential_kind")
    public String credentialKind;

    @Column(name = "credential_secret")
    public String credentialSecret;

    @Column(name = "credential_key_id")
    public String credentialKeyId;

    public String source;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Version
    public long version;

    @Override
    public String toString() {
        return "ClusterEntity[name=" + name + ", cloud=" + cloud + ", credentials=<redacted>]";
    }
}
