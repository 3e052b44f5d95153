package org.soapstone.engine.fit;

/** A fit's settings are wrong or unsupported; the message names the key and what is allowed. */
public class FitSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the key */
    public FitSettingsException(String message) {
        super(message);
    }
}
