package org.soapstone.engine.learn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.io.ExtXyzFormatException;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;

/**
 * A reference calculator that runs a user's command (e.g. a script driving a DFT code): the structure is written as
 * extended XYZ to {@code DIR/reference-input.xyz}, {@code sh -c "COMMAND INPUT OUTPUT"} is run in {@code DIR} (the
 * two paths appended as arguments, and also in the environment as {@code SOAPSTONE_INPUT} and
 * {@code SOAPSTONE_OUTPUT}), and the last frame of the output file gives the energy (info {@code energy}, eV), the
 * forces (per-atom {@code forces}, eV/Å, in the input's atom order) and, if present, the stress (info
 * {@code stress}, eV/Å³, 9 or 6 Voigt values, ASE's sign) — what ASE's {@code write(..., format="extxyz")} of a
 * calculated Atoms object produces. A non-zero exit, a time-out or an unusable output raises
 * {@link ReferenceFailedException} naming the command, exit code, the tail of its standard error and the file.
 */
public final class CommandReference implements Calculator {
    private static final Set<Property> IMPLEMENTED = EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);

    private final String command;
    private final Path directory;
    private final Duration timeout;

    /**
     * @param command the shell command (run by {@code sh -c}, input and output paths appended)
     * @param directory where the files go and the command runs (created if missing)
     * @param timeout the longest a call may take
     */
    public CommandReference(String command, Path directory, Duration timeout) {
        if (command.isBlank()) {
            throw new IllegalArgumentException("the reference command is empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the reference time-out must be positive, got " + timeout);
        }
        this.command = command;
        this.directory = directory;
        this.timeout = timeout;
    }

    @Override
    public Set<Property> implementedProperties() {
        return IMPLEMENTED;
    }

    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        checkRequested(requested);
        Path in = directory.resolve("reference-input.xyz");
        Path out = directory.resolve("reference-output.xyz");
        Path err = directory.resolve("reference-stderr.txt");
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(out);
            Structure plain = structure.copy();
            plain.properties().clear();
            plain.info().clear();
            ExtXyz.write(in, List.of(plain));
        } catch (IOException e) {
            throw new ReferenceFailedException("cannot write the reference input " + in + ": " + e.getMessage(), e);
        }
        String line = command + " " + quote(in.toAbsolutePath().toString()) + " " + quote(out.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", line).directory(directory.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        pb.environment().put("SOAPSTONE_INPUT", in.toAbsolutePath().toString());
        pb.environment().put("SOAPSTONE_OUTPUT", out.toAbsolutePath().toString());
        int exit;
        try {
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                throw new ReferenceFailedException("reference command '" + command + "' timed out after "
                        + timeout.toSeconds() + " s" + tail(err));
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new ReferenceFailedException("cannot run reference command '" + command + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReferenceFailedException("interrupted while running reference command '" + command + "'", e);
        }
        if (exit != 0) {
            throw new ReferenceFailedException("reference command '" + command + "' failed with exit code " + exit
                    + tail(err));
        }
        read(structure, out, requested, results);
    }

    private void read(Structure structure, Path out, Set<Property> requested, CalculationResults results) {
        Structure s;
        try {
            List<Structure> frames = ExtXyz.read(out);
            if (frames.isEmpty()) {
                throw new ReferenceFailedException("reference command '" + command + "' wrote no frame to " + out);
            }
            s = frames.getLast();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ReferenceFailedException("reference command '" + command + "' exited 0 but wrote no " + out, e);
        } catch (IOException | ExtXyzFormatException e) {
            throw new ReferenceFailedException("cannot read the reference output " + out + ": " + e.getMessage(), e);
        }
        int n = structure.size();
        if (s.size() != n) {
            throw new ReferenceFailedException(out + ": " + s.size() + " atoms, the input had " + n);
        }
        Double energy;
        try {
            energy = s.infoReal("energy");
        } catch (IllegalStateException e) {
            throw new ReferenceFailedException(out + ": info 'energy' is not a number", e);
        }
        if (energy == null || !Double.isFinite(energy)) {
            throw new ReferenceFailedException(out + ": no finite info 'energy' (eV)");
        }
        AtomProperty f = s.properties().get("forces");
        if (f == null || f.type() != AtomProperty.Type.REAL || f.columns() != 3) {
            throw new ReferenceFailedException(out + ": no per-atom 'forces' of 3 real columns (eV/Å)");
        }
        results.reset(n);
        results.energy = energy;
        System.arraycopy(f.reals(), 0, results.forces, 0, 3 * n);
        Set<Property> computed = EnumSet.of(Property.ENERGY, Property.FORCES);
        if (requested.contains(Property.STRESS) && s.info().get("stress") instanceof double[] st) {
            double[] voigt = switch (st.length) {
                case 9 -> CalculationResults.matrixToVoigt(st, 1.0);
                case 6 -> st.clone();
                default -> throw new ReferenceFailedException(out + ": info 'stress' has " + st.length
                        + " values; 9 (3×3) or 6 (Voigt xx yy zz yz xz xy) expected");
            };
            System.arraycopy(voigt, 0, results.stress, 0, 6);
            computed.add(Property.STRESS);
        }
        results.markComputed(computed);
    }

    private static String tail(Path err) {
        try {
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return "";
            }
            return "; its standard error ends: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5),
                    lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
