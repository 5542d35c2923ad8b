package io.meridian.inventory.persistence;

import io.meridian.eventing.Await;
import io.meridian.inventory.config.InventoryConfig;
import io.meridian.inventory.credentials.CredentialDecryptionException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Key rotation of stored cluster credentials: when the active key is not the one a credential was encrypted with,
 * this re-encrypts it under the active key, in the background, a batch per transaction.
 *
 * <p>Each batch locks the rows it takes with {@code FOR UPDATE SKIP LOCKED}, so replicas running the same pass share
 * the rows instead of re-encrypting one twice, and a registry change in flight keeps its row until it commits. The
 * update writes only the two credential columns and leaves the row's version alone: the plaintext is the same, so
 * connections built from the row have no reason to reconnect. Progress is logged (cluster names and key ids, never
 * a secret) and exported as {@code meridian_inventory_credentials_by_key{key_id}} (read from the table after every
 * pass) and {@code meridian_inventory_credentials_reencrypted_total}; a configured key that no credential uses any
 * more shows 0 and is announced in the log as removable.
 */
@ApplicationScoped
public class CredentialReencryption {

    /** What one pass did, and how many credentials each key holds afterwards. */
    public record Pass(int reencrypted, int failed, Map<String, Long> byKey) {}

    private record Batch(int locked, int reencrypted, int failed, String lastName) {}

    private static final Logger LOG = Logger.getLogger(CredentialReencryption.class);
    private static final String SELECT_BATCH = "SELECT name, credential_secret FROM cluster"
            + " WHERE credential_key_id <> :active AND name > :after ORDER BY name LIMIT :limit"
            + " FOR UPDATE SKIP LOCKED";
    // The old ciphertext in the condition as well: a row rewritten meanwhile is never overwritten with a stale one.
    private static final String UPDATE_ONE = "UPDATE cluster SET credential_secret = :secret, credential_key_id = :key"
            + " WHERE name = :name AND credential_secret = :old";

    private final Mutiny.SessionFactory sessions;
    private final CredentialVault vault;
    private final int batchSize;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> byKey = new ConcurrentHashMap<>();
    private final Set<String> announcedRemovable = ConcurrentHashMap.newKeySet();
    private final Counter reencrypted;
    private final Counter failures;

    CredentialReencryption(
            Mutiny.SessionFactory sessions, CredentialVault vault, InventoryConfig config, MeterRegistry meters) {
        this.sessions = sessions;
        this.vault = vault;
        this.batchSize = Math.max(1, config.credentials().rotation().batchSize());
        this.meters = meters;
        this.reencrypted = Counter.builder("meridian.inventory.credentials.reencrypted")
                .description("Stored cluster credentials re-encrypted under the active key")
                .register(meters);
        this.failures = Counter.builder("meridian.inventory.credentials.reencryption.failures")
                .description("Stored cluster credentials that could not be re-encrypted (key missing or not matching)")
                .register(meters);
        // Every configured key shows up, at 0 when nothing uses it: that 0 is what says an old key may go.
        vault.keyIds().forEach(this::gauge);
    }

    @Scheduled(
            every = "${meridian.inventory.credentials.rotation.interval:60s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            runPass();
        } catch (RuntimeException e) {
            LOG.warnf("credential key rotation: pass failed, retried next interval: %s", e.getMessage());
        }
    }

    /** Counts credentials per key, re-encrypts those under old keys batch after batch, and counts again. */
    public Pass runPass() {
        String active = vault.activeKeyId();
        Map<String, Long> before = Await.on(this::countByKey);
        publish(before);
        long old = before.entrySet().stream()
                .filter(e -> !e.getKey().equals(active))
                .mapToLong(Map.Entry::getValue)
                .sum();
        announceRemovable(active, before);
        if (old == 0) {
            return new Pass(0, 0, before);
        }
        LOG.infof(
                "credential key rotation: %d stored credentials are under keys other than the active key '%s' (%s);"
                        + " re-encrypting them in batches of %d",
                old, active, describe(before), batchSize);
        int done = 0;
        int failed = 0;
        String after = "";
        while (true) {
            String from = after;
            Batch batch = Await.on(() -> reencryptBatch(active, from));
            done += batch.reencrypted();
            failed += batch.failed();
            if (batch.locked() == 0) {
                break;
            }
            after = batch.lastName();
            LOG.infof(
                    "credential key rotation: %d of %d re-encrypted to key '%s' so far (%d failed)",
                    done, old, active, failed);
        }
        Map<String, Long> now = Await.on(this::countByKey);
        publish(now);
        LOG.infof(
                "credential key rotation: pass done, %d re-encrypted to key '%s', %d failed; credentials per key now: %s",
                done, active, failed, describe(now));
        announceRemovable(active, now);
        return new Pass(done, failed, now);
    }

    private Uni<Map<String, Long>> countByKey() {
        return sessions.withSession(session -> session.createNativeQuery(
                        "SELECT credential_key_id, count(*) FROM cluster GROUP BY credential_key_id", Object[].class)
                .getResultList()
                .map(rows -> {
                    Map<String, Long> counts = new TreeMap<>();
                    for (Object[] row : rows) {
                        counts.put((String) row[0], ((Number) row[1]).longValue());
                    }
                    return counts;
                }));
    }

    private Uni<Batch> reencryptBatch(String active, String after) {
        return sessions.withTransaction(session -> session.createNativeQuery(SELECT_BATCH, Object[].class)
                        .setParameter("active", active)
                        .setParameter("after", after)
                        .setParameter("limit", batchSize)
                        .getResultList()
                        .chain(rows -> {
                            List<String[]> updates = new ArrayList<>();
                            int failed = 0;
                            for (Object[] row : rows) {
                                String name = (String) row[0];
                                String stored = (String) row[1];
                                try {
                                    CredentialVault.Sealed sealed = vault.reseal(name, stored);
                                    updates.add(new String[] {name, stored, sealed.storage(), sealed.keyId()});
                                } catch (CredentialDecryptionException | IllegalArgumentException e) {
                                    // The exception's message names the key id and the reason, never the secret.
                                    failed++;
                                    LOG.errorf(
                                            "credential key rotation: cannot re-encrypt the credentials of cluster %s: %s",
                                            name, e.getMessage());
                                }
                            }
                            int failedInBatch = failed;
                            String last = rows.isEmpty() ? after : (String) rows.getLast()[0];
                            Uni<Integer> chain = Uni.createFrom().item(0);
                            for (String[] update : updates) {
                                chain = chain.chain(count -> session.createNativeQuery(UPDATE_ONE)
                                        .setParameter("secret", update[2])
                                        .setParameter("key", update[3])
                                        .setParameter("name", update[0])
                                        .setParameter("old", update[1])
                                        .executeUpdate()
                                        .map(changed -> count + changed));
                            }
                            return chain.map(count -> new Batch(rows.size(), count, failedInBatch, last));
                        }))
                .invoke(batch -> {
                    reencrypted.increment(batch.reencrypted());
                    failures.increment(batch.failed());
                });
    }

    private void publish(Map<String, Long> counts) {
        counts.keySet().forEach(this::gauge);
        byKey.forEach((keyId, gauge) -> gauge.set(counts.getOrDefault(keyId, 0L)));
        counts.keySet().stream()
                .filter(keyId -> !vault.keyIds().contains(keyId))
                .forEach(keyId -> LOG.errorf(
                        "credential key rotation: %d stored credentials are encrypted with key '%s', which is not"
                                + " configured: those clusters cannot be connected; add the key back to"
                                + " meridian.inventory.credentials.keys",
                        counts.get(keyId), keyId));
    }

    private void announceRemovable(String active, Map<String, Long> counts) {
        for (String keyId : vault.keyIds()) {
            if (keyId.equals(active) || counts.getOrDefault(keyId, 0L) > 0) {
                announcedRemovable.remove(keyId);
            } else if (announcedRemovable.add(keyId)) {
                LOG.infof(
                        "credential key rotation: no stored credential uses key '%s' any more"
                                + " (meridian_inventory_credentials_by_key{key_id=\"%s\"} is 0); it can be removed"
                                + " from meridian.inventory.credentials.keys",
                        keyId, keyId);
            }
        }
    }

    private void gauge(String keyId) {
        byKey.computeIfAbsent(keyId, id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("meridian.inventory.credentials.by.key", value, AtomicLong::get)
                    .description("Stored cluster credentials encrypted under each key id")
                    .tag("key_id", id)
                    .register(meters);
            return value;
        });
    }

    private static String describe(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
