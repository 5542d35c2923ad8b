/**
 * How a service's own Kafka clients connect: {@link io.meridian.eventing.kafka.KafkaConnection} gives every
 * producer the service builds itself the bootstrap servers and login its channels use.
 */
package io.meridian.eventing.kafka;
