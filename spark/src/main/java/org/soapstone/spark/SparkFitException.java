package org.soapstone.spark;

/** A distributed fit that cannot go on: the message is one line for the user (file, line and field for bad data). */
public final class SparkFitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SparkFitException(String message) {
        super(message);
    }

    SparkFitException(String message, Throwable cause) {
        super(message, cause);
    }
}
