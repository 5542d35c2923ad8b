/** The {@code meridian} command line: picocli commands over contexts, login, event streams and REST verbs. */
package io.meridian.cli;
