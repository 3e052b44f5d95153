package org.soapstone.engine.learn;

/** The reference calculator could not label a structure (a command failed or timed out, its output is unusable). */
public final class ReferenceFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the command and file */
    public ReferenceFailedException(String message) {
        super(message);
    }

    /** @param message what failed; @param cause why */
    public ReferenceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
