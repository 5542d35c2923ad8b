/** Contexts (which Keycloak, services and Kafka) kept in the user's config directory. */
package io.meridian.cli.config;
