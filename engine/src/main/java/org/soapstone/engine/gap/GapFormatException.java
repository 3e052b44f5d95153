package org.soapstone.engine.gap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A QUIP/gap_fit model file that cannot be used: malformed XML, a missing or truncated {@code sparseX} file, or
 * something Soapstone does not support (a descriptor, a covariance, a baseline potential). The message names the
 * file and the element (and, for sparseX files, the line).
 */
public final class GapFormatException extends IOException {
    private final Path file;
    private final String element;

    /**
     * @param file the file at fault
     * @param element the XML element (or file part) at fault, e.g. {@code gpCoordinates label="..."}
     * @param message what is wrong
     */
    public GapFormatException(Path file, String element, String message) {
        super(file + ": <" + element + ">: " + message);
        this.file = file;
        this.element = element;
    }

    /**
     * @param file the file at fault
     * @param element the XML element at fault
     * @param message what is wrong
     * @param cause the underlying error
     */
    public GapFormatException(Path file, String element, String message, Throwable cause) {
        this(file, element, message);
        initCause(cause);
    }

    /** @return the file at fault */
    public Path file() {
        return file;
    }

    /** @return the element at fault */
    public String element() {
        return element;
    }
}
