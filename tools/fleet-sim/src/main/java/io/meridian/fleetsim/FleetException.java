package io.meridian.fleetsim;

/** A request the simulator refuses, with the HTTP status the control API answers it with. */
public final class FleetException extends RuntimeException {

    private final int status;

    FleetException(int status, String message) {
        super(message);
        this.status = status;
    }

    static FleetException badRequest(String message) {
        return new FleetException(400, message);
    }

    static FleetException notFound(String message) {
        return new FleetException(404, message);
    }

    static FleetException conflict(String message) {
        return new FleetException(409, message);
    }

    public int status() {
        return status;
    }
}
