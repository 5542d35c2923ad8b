/** The Keycloak admin REST API as the directory of grantable subjects. */
package io.meridian.identity.directory;
