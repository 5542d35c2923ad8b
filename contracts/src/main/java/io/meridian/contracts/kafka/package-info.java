/**
 * How Meridian events sit on Kafka: the CloudEvents binary-mode codec, the cluster-key partitioner, the
 * dead-letter headers, the refusal of an event too large to publish and the topic bootstrap; and who may use the
 * bus: the principals, their ACL catalog, the SCRAM logins and the ACL bootstrap that applies the catalog to a broker.
 */
package io.meridian.contracts.kafka;
