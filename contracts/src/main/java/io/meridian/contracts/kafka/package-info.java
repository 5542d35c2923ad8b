/**
 * How Meridian events sit on Kafka: the CloudEvents binary-mode codec, the cluster-key partitioner, the
 * dead-letter headers and the topic bootstrap.
 */
package io.meridian.contracts.kafka;
