package org.soapstone.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The process's peak resident memory (Linux {@code VmHWM} in {@code /proc/self/status}), for fit summaries. */
final class PeakMemory {
    private PeakMemory() {
    }

    /** @return e.g. "0.61 GiB resident", or "unknown" where /proc is not available */
    static String describe() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.2f GiB resident", kib / (1024.0 * 1024.0));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown";
        }
        return "unknown";
    }
}
