package io.meridian.cli;

/** A failure the user can act on: its message is printed as {@code error: <message>} and the CLI exits with 1. */
public class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
