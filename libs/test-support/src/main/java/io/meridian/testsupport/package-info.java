/**
 * Real parts for tests: a Kafka broker and a PostgreSQL server per test JVM, OIDC tokens signed for the
 * WireMock OIDC server, and fabric8 mock Kubernetes API servers standing for clusters.
 */
package io.meridian.testsupport;
