package io.meridian.cli.stream;

import io.meridian.cli.CliException;
import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.UnreadableEventException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics straight from Kafka for a person: every partition assigned by hand (no consumer group, nothing
 * committed), each positioned at the {@link StartPoint}, records merged by timestamp across partitions and topics.
 * Without follow it stops at the end offsets it saw when it started; with follow it keeps printing what arrives.
 */
public final class TopicTail {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, String> clientProperties;
    private final List<String> topics;
    private final StartPoint start;
    private final boolean follow;

    public TopicTail(Map<String, String> clientProperties, List<String> topics, StartPoint start, boolean follow) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.topics = List.copyOf(topics);
        this.start = start;
        this.follow = follow;
    }

    /** Reads and hands each record to {@code sink} in time order, until the end (or {@code stop} with follow). */
    public void run(Consumer<TailedRecord> sink, BooleanSupplier stop) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
            position(consumer, partitions, endAtStart);
            Map<TopicPartition, Deque<ConsumerRecord<String, byte[]>>> buffers = new LinkedHashMap<>();
            partitions.forEach(tp -> buffers.put(tp, new ArrayDeque<>()));
            while (!stop.getAsBoolean()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    // Without follow, what was written after the start is not this tail's to print.
                    if (follow || record.offset() < endAtStart.get(tp)) {
                        buffers.get(tp).add(record);
                    }
                }
                emitInTimeOrder(consumer, buffers, endAtStart, sink);
                if (!follow && caughtUp(consumer, buffers, endAtStart)) {
                    return;
                }
            }
        }
    }

    /**
     * Emits the oldest buffered record while no partition that still has records from before the start is waiting
     * for its next fetch: only then is the oldest buffered one the oldest there is.
     */
    private static void emitInTimeOrder(
            KafkaConsumer<String, byte[]> consumer,
            Map<TopicPartition, Deque<ConsumerRecord<String, byte[]>>> buffers,
            Map<TopicPartition, Long> endAtStart,
            Consumer<TailedRecord> sink) {
        while (true) {
            boolean waiting = buffers.entrySet().stream()
                    .anyMatch(
                            e -> e.getValue().isEmpty() && consumer.position(e.getKey()) < endAtStart.get(e.getKey()));
            if (waiting) {
                return;
            }
            Deque<ConsumerRecord<String, byte[]>> oldest = buffers.values().stream()
                    .filter(b -> !b.isEmpty())
                    .min(Comparator.comparingLong((Deque<ConsumerRecord<String, byte[]>> b) ->
                            b.peek().timestamp()))
                    .orElse(null);
            if (oldest == null) {
                return;
            }
            sink.accept(decode(oldest.poll()));
        }
    }

    private static boolean caughtUp(
            KafkaConsumer<String, byte[]> consumer,
            Map<TopicPartition, Deque<ConsumerRecord<String, byte[]>>> buffers,
            Map<TopicPartition, Long> endAtStart) {
        return buffers.entrySet().stream()
                .allMatch(e -> e.getValue().isEmpty() && consumer.position(e.getKey()) >= endAtStart.get(e.getKey()));
    }

    static TailedRecord decode(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = null;
        String unreadable = null;
        if (record.value() != null) {
            try {
                event = CloudEventHeaders.read(record.headers(), record.value());
            } catch (UnreadableEventException e) {
                unreadable = e.getMessage();
            }
        }
        return new TailedRecord(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.timestamp(),
                event,
                unreadable);
    }

    private void position(
            KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        switch (start) {
            case StartPoint.Beginning b -> consumer.seekToBeginning(partitions);
            case StartPoint.End e -> partitions.forEach(tp -> consumer.seek(tp, end.get(tp)));
            case StartPoint.AtTime at -> {
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(tp -> times.put(tp, at.time().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp offset = found.get(tp);
                    // No record at or after that time: start at the end.
                    consumer.seek(tp, offset == null ? end.get(tp) : offset.offset());
                }
            }
            case StartPoint.AtOffset at -> {
                Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
                partitions.forEach(tp ->
                        consumer.seek(tp, Math.max(beginning.get(tp), Math.min(at.offset(), end.get(tp)))));
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                throw new CliException("topic " + topic + " does not exist on "
                        + clientProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                        + " (or this user may not describe it)");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        return partitions;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A person waits at the terminal: a broker that cannot be reached should say so in seconds, not in a minute.
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "meridian-cli");
        return new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
