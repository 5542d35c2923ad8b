/** Observability's configuration mapping. */
package io.meridian.observability.config;
