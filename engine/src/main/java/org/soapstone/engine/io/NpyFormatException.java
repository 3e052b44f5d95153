package org.soapstone.engine.io;

import java.io.IOException;

/**
 * A NumPy {@code .npy} stream that cannot be read, or an array that cannot be written: the message names the
 * source (file name, or a description such as a zip entry) and the field, e.g.
 * {@code model.zip:alpha.npy: header 'descr': unsupported dtype '>f4'}.
 */
public final class NpyFormatException extends IOException {
    /**
     * @param source the file name or other source description
     * @param field what was being read: "magic", "header 'shape'", "data", …
     * @param detail what is wrong with it
     */
    public NpyFormatException(String source, String field, String detail) {
        super(source + ": " + field + ": " + detail);
    }
}
