package org.soapstone.engine.gap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A Soapstone model file ({@link GapModelFile}) that cannot be used: not a zip archive, a missing or malformed
 * entry, or a field of {@code model.json} or an array that is missing, of the wrong shape or type, or not
 * finite. The message names the file, the zip entry and the field, e.g.
 * {@code si.gap: model.json: terms[1].descriptor: ...} or {@code si.gap: terms/0/alpha.npy: shape: ...}.
 */
public final class ModelFileException extends IOException {
    private final Path file;
    private final String entry;
    private final String field;

    /**
     * @param file the model file
     * @param entry the zip entry at fault, or null if the file as a whole is
     * @param field the field of the entry at fault (a JSON path such as {@code terms[0].delta}, or {@code shape},
     *     {@code dtype}, {@code data} for an array), or null
     * @param message what is wrong
     */
    public ModelFileException(Path file, String entry, String field, String message) {
        super(file + ": " + (entry == null ? "" : entry + ": ") + (field == null ? "" : field + ": ") + message);
        this.file = file;
        this.entry = entry;
        this.field = field;
    }

    /** @return the model file */
    public Path file() {
        return file;
    }

    /** @return the zip entry at fault, or null */
    public String entry() {
        return entry;
    }

    /** @return the field at fault, or null */
    public String field() {
        return field;
    }
}
