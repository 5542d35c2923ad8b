package io.meridian.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Raw Kafka on the same broker and machine: produce and consume as many records of an observed
 * object's typical size as the fleet holds, so the pipeline's throughput can be read as a ratio.
 */
final class KafkaBaseline {

    private static final int RECORD_BYTES = 900;
    private static final int PARTITIONS = 12;

    private final Properties connection;
    private final int records;

    /** @param connection the bootstrap servers and the bench's login, which owns the {@code bench.} topics */
    KafkaBaseline(Properties connection, int records) {
        this.connection = connection;
        this.records = records;
    }

    /** Runs both and prints them; answers the produce rate (records/s). */
    double run() throws Exception {
        String topic = "bench.baseline." + UUID.randomUUID();
        Properties admin = new Properties();
        admin.putAll(connection);
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                    .all()
                    .get();
        }
        byte[] value = new byte[RECORD_BYTES];
        awaitWritable(topic);
        Properties p = new Properties();
        p.putAll(connection);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, "cluster-" + (i % 100) + "/apps/Deployment/ns/d" + i, value));
            }
            producer.flush();
        }
        double produced = Bench.seconds(start);
        Properties c = new Properties();
        c.putAll(connection);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-baseline");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        long consumeStart = System.nanoTime();
        int seen = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (seen < records + PARTITIONS && Bench.seconds(consumeStart) < 120) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        double consumed = Bench.seconds(consumeStart);
        new Table("raw Kafka baseline on the same broker (" + records + " records of " + RECORD_BYTES + " bytes)")
                .row("produce (acks=all)", String.format("%.1f s, %.0f records/s", produced, records / produced))
                .row(
                        "consume",
                        String.format(
                                "%.1f s, %.0f records/s (%d read)",
                                consumed, (seen - PARTITIONS) / consumed, seen - PARTITIONS))
                .print();
        return records / produced;
    }

    /**
     * One record to every partition, each retried until the broker takes it. A topic created a moment ago can still
     * answer NOT_LEADER_OR_FOLLOWER; the timed idempotent producer then lost its sequence numbers and retried for
     * minutes (OUT_OF_ORDER_SEQUENCE_NUMBER) instead of measuring anything.
     */
    private void awaitWritable(String topic) throws Exception {
        Properties p = new Properties();
        p.putAll(connection);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> probe =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                probe.send(new ProducerRecord<>(topic, partition, "probe", new byte[0]))
                        .get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
