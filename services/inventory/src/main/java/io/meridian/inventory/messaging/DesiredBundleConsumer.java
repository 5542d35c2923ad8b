package io.meridian.inventory.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.eventing.inbound.DeadLetters;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.inventory.bundle.BundleAdmission;
import io.meridian.inventory.bundle.BundleEngine;
import io.meridian.inventory.config.BundlesConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Desired bundles from the owners' desired topics ({@code fleet.desired.<owner>.v1}), read whole by every replica (the
 * compacted topics are the desired state); each replica applies those of the clusters it owns. A tombstone means
 * "nothing". The topic a record came on decides its owner. An unreadable bundle, and one {@link BundleAdmission}
 * refuses (a key naming another owner than its topic's, another owner's source, a kind off the owner's list, a
 * generation that would pin the key), goes to the dead-letter topic of the topic it came on with its reason, and the
 * rest of its batch is declared.
 */
public class DesiredBundleConsumer {

    private static final Logger LOG = Logger.getLogger(DesiredBundleConsumer.class);

    private final BundleEngine engine;
    private final DeadLetters deadLetters;
    private final BundleAdmission admission;
    private final Counter refused;

    DesiredBundleConsumer(BundleEngine engine, DeadLetters deadLetters, BundlesConfig config, MeterRegistry registry) {
        this.engine = engine;
        this.deadLetters = deadLetters;
        this.admission = admission(config);
        this.refused = Counter.builder("meridian.inventory.bundles.refused")
                .description("Desired bundles refused (key of another owner than its topic's, wrong source, kind off"
                        + " the owner's list, generation jump);"
                        + " each is a dead letter with its reason")
                .register(registry);
        LOG.infof("desired bundles accepted from owners %s on topics %s", admission.owners(), admission.topics());
    }

    static BundleAdmission admission(BundlesConfig config) {
        Map<String, BundleAdmission.Owner> owners = new TreeMap<>();
        config.owners()
                .forEach((name, owner) -> owners.put(
                        name,
                        new BundleAdmission.Owner(
                                name,
                                owner.source().map(URI::create).orElse(BundleAdmission.Owner.defaultSource(name)),
                                owner.topic().orElseGet(() -> BundleAdmission.Owner.defaultTopic(name)),
                                owner.kinds())));
        return new BundleAdmission(owners, config.maxGenerationStep(), config.maxFirstGeneration());
    }

    /**
     * A whole poll at a time: declaring only records a bundle and schedules its cluster's writer, and a change that
     * reaches 100 clusters arrives as 100 records at once. Handed over one by one, each record waited for its turn
     * on a thread that the first clusters' writes were already keeping busy, so the last cluster started about
     * 0.2-0.6 s after the first.
     */
    @Incoming("desired-bundles")
    public void onBundles(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                declare(record);
            } catch (RuntimeException e) {
                deadLetters.send(record, e);
            }
        }
    }

    private void declare(ConsumerRecord<String, byte[]> record) {
        String key = IncomingEvents.requireKey(record);
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new IllegalArgumentException("desired bundle key '" + key + "' is not owner/clusterId");
        }
        String owner = key.substring(0, slash);
        DesiredBundle bundle = null;
        Optional<URI> source = source(record);
        if (record.value() != null) {
            CloudEvent event = IncomingEvents.read(record);
            bundle = IncomingEvents.data(event, DesiredBundle.class);
            source = Optional.of(event.source());
        }
        if (admission.judge(record.topic(), owner, source, bundle, engine.declaredGeneration(key))
                instanceof BundleAdmission.Verdict.Refused(String reason)) {
            refused.increment();
            throw new BundleRefusedException(reason);
        }
        engine.declare(key, bundle);
    }

    private static Optional<URI> source(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(CloudEventHeaders.SOURCE);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(new String(header.value(), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new BundleRefusedException("CloudEvent source is not a URI: " + e.getMessage());
        }
    }

    /** A bundle inventory will not apply; its message is the dead letter's reason. */
    static final class BundleRefusedException extends RuntimeException {
        BundleRefusedException(String reason) {
            super("refused: " + reason, null, false, false);
        }
    }
}
