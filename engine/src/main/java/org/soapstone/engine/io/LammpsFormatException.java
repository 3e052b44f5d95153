package org.soapstone.engine.io;

import java.nio.file.Path;

/**
 * A LAMMPS text file (data file, dump, potential file) that cannot be read, with the file, 1-based line and field
 * at fault.
 */
public final class LammpsFormatException extends RuntimeException {
    private final Path file;
    private final long line;
    private final String field;

    /**
     * @param file the file being read
     * @param line the 1-based line number
     * @param field what was expected there, e.g. "column fx"
     * @param problem what is wrong
     */
    public LammpsFormatException(Path file, long line, String field, String problem) {
        super(file + ":" + line + ": " + field + ": " + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    /** @return the file being read */
    public Path file() {
        return file;
    }

    /** @return the 1-based line number */
    public long line() {
        return line;
    }

    /** @return the field that could not be read */
    public String field() {
        return field;
    }
}
