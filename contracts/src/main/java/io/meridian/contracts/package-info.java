/**
 * Meridian's event contracts: one record per CloudEvent data type, the topic catalog, and the
 * CloudEvents Kafka binary-mode codec. Nothing here depends on Quarkus, so tools and tests can use it.
 */
package io.meridian.contracts;
