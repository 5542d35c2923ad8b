/** The identity service's settings ({@code meridian.identity.*}). */
package io.meridian.identity.config;
