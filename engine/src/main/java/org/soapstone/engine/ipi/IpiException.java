package org.soapstone.engine.ipi;

import java.io.IOException;

/** A broken i-PI exchange: the peer closed mid-message, sent an unexpected header or size, or timed out. */
public final class IpiException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the peer and the message */
    public IpiException(String message) {
        super(message);
    }
}
