package org.soapstone.engine.descriptor;

/** A gap_fit descriptor string that cannot be used: unknown type or key, missing key, or bad value. */
public final class DescriptorStringException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the key and what is allowed */
    public DescriptorStringException(String message) {
        super(message);
    }
}
