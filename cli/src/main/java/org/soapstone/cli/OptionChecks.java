package org.soapstone.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of numeric options: a value out of range is an error naming the option, its bound and the value given. */
final class OptionChecks {
    private OptionChecks() {}

    /** @throws IllegalArgumentException if {@code value < least}: "OPTION must be ≥ LEAST, got VALUE" */
    static void atLeast(String option, long value, long least) {
        if (value < least) {
            throw new IllegalArgumentException(option + " must be ≥ " + least + ", got " + value);
        }
    }

    /** @throws IllegalArgumentException unless {@code value} is finite and > 0: "OPTION must be > 0 UNIT, got …" */
    static void positive(String option, double value, String unit) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " must be a finite number > 0 " + unit + ", got " + value);
        }
    }

    /** @throws IllegalArgumentException if {@code dir} exists and is not a directory: "OPTION DIR is a file, …" */
    static void directory(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is an existing file, not a directory");
        }
    }

    /** @throws IllegalArgumentException if {@code file} is a directory: "OPTION FILE is a directory, …" */
    static void file(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a directory; give a file name");
        }
    }
}
