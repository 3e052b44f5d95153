package org.soapstone.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a new JVM (this JVM's java, with the surefire options) with extra flags. */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * @param flags JVM options added to the surefire ones (e.g. {@code -Xint})
     * @param main the class whose {@code main} to run
     * @param args its arguments
     * @return its standard output
     * @throws AssertionError if it fails or takes more than {@code timeoutSeconds}
     */
    public static String run(List<String> flags, Class<?> main, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xss8m", "--enable-native-access=ALL-UNNAMED", "--add-modules",
                "jdk.incubator.vector"));
        command.addAll(flags);
        command.add("-Dsoapstone.root=" + System.getProperty("soapstone.root"));
        command.add("-Dsoapstone.shared=" + SharedData.root());
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(main.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("child-jvm", ".out");
        Path err = Files.createTempFile("child-jvm", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("child JVM " + flags + " took more than " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("child JVM " + flags + " exited with " + p.exitValue() + ":\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
