/** Placement's settings as typed {@code @ConfigMapping} interfaces. */
package io.meridian.placement.config;
