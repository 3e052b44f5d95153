package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void logLineHasCountRateExtraAndEtaAndIsQuietBetweenIntervals() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress.Log log = new Progress.Log("md", 100, "steps", rate -> "X ns/day", out, Duration.ZERO)) {
            Thread.sleep(5);
            log.update(50);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, "one line for the update, one at the end");
        assertTrue(lines[0].startsWith("md: 50/100 steps (50.0%)"), lines[0]);
        assertTrue(lines[0].contains("steps/s") && lines[0].contains("X ns/day") && lines[0].contains("ETA"),
                lines[0]);

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        try (Progress.Log log = new Progress.Log("md", 100, "steps", null,
                new PrintStream(quiet, true, StandardCharsets.UTF_8), Duration.ofHours(1))) {
            for (int k = 1; k <= 100; k++) {
                log.update(k);
            }
        }
        assertEquals(1, quiet.toString(StandardCharsets.UTF_8).split("\n").length, "only the closing line");
    }
}
