package org.soapstone.engine.fit;

/**
 * A gap_fit command line or fit setting that cannot be used: an unknown key (with the closest known one), a
 * missing mandatory key, a key given twice, a bad value (naming key and value), or a gap_fit feature Soapstone does
 * not support (naming the key and why).
 */
public final class FitSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the key */
    public FitSettingsException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the key
     * @param cause the underlying error
     */
    public FitSettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
