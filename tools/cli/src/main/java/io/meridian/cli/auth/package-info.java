/** Login against Keycloak (device and password grants), the owner-only token cache, refreshing tokens. */
package io.meridian.cli.auth;
