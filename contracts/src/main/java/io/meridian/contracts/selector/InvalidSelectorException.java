package io.meridian.contracts.selector;

/** A selector that cannot be read; the message names the offending requirement and says why, for a 400. */
public final class InvalidSelectorException extends IllegalArgumentException {

    public InvalidSelectorException(String message) {
        super(message);
    }
}
