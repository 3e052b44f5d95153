package org.soapstone.potentials.manybody;

import java.nio.file.Path;

/**
 * A LAMMPS potential file that cannot be used: malformed text, a bad value, or a missing entry. The message names
 * the file and, where one applies, the line and the field.
 */
public final class PotentialFileException extends IllegalArgumentException {
    private final Path file;
    private final int line;
    private final String field;

    /**
     * @param file the potential file
     * @param line the 1-based line number, or 0 if the problem is not on one line
     * @param field the field's name (e.g. "epsilon", "element 2"), or null if the problem is not in one field
     * @param problem what is wrong
     */
    public PotentialFileException(Path file, int line, String field, String problem) {
        super(file + (line > 0 ? ", line " + line : "") + (field != null ? ", field '" + field + "'" : "") + ": "
                + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    /** @return the potential file */
    public Path file() {
        return file;
    }

    /** @return the 1-based line number, or 0 if the problem is not on one line */
    public int line() {
        return line;
    }

    /** @return the name of the offending field, or null */
    public String field() {
        return field;
    }
}
