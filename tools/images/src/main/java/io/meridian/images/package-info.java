/**
 * Meridian's container images, built with Jib and pushed to a registry without a Docker daemon and without pulling
 * anything: a base image from scratch with a jlink Java runtime made from the build JDK and the glibc it links to,
 * and one image per packaged service (a Quarkus fast-jar) on top of it.
 */
package io.meridian.images;
