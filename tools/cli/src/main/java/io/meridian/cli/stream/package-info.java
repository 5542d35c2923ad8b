/** Tailing Kafka topics for a person: the audit trail and any fleet topic, merged by time. */
package io.meridian.cli.stream;
