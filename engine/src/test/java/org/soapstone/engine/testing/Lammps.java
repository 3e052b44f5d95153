package org.soapstone.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.io.LammpsBox;
import org.soapstone.engine.io.LammpsData;
import org.soapstone.engine.io.LammpsDump;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * Runs the real LAMMPS ({@code /usr/bin/lmp}, {@code units metal}) on a {@link Structure} so tests can compare
 * against it.
 *
 * <p>{@link #compute} writes the structure as a data file ({@link LammpsData}, one atom type per element of
 * {@code species}, in order), an input with the caller's {@code pair_style}/{@code pair_coeff} lines, runs
 * {@code lmp -in in.lmp -log log.lammps -screen none} for 0 steps in a fresh temporary directory, and returns the
 * energy (eV), forces (eV/Å), stress (eV/Å³, ASE sign, Voigt xx yy zz yz xz xy) and per-atom energies
 * ({@code compute pe/atom}, eV), rotated back from the LAMMPS frame into the structure's frame, atoms in the
 * structure's order. Values are printed with {@code %.17g}, so nothing is lost in the text.
 *
 * <p>{@link #run} does the same for an MD run: the caller gives input lines placed after the pair lines (fixes,
 * {@code timestep} in ps, velocity commands …), a number of steps and a dump interval, and gets the dumped frames
 * back in the structure's frame (positions wrapped by LAMMPS into its box, velocities converted to Å/fs).
 * Velocities of the structure, if any, are passed to LAMMPS.
 *
 * <p>Stress: LAMMPS prints the pressure tensor P in bar, and the ASE stress is −P. LAMMPS {@code units metal}
 * converts eV/Å³ to bar with its constant {@code nktv2p} = 1.6021765e6, so the exact inverse of that constant is
 * used here (1 bar = 6.2415093e-7 eV/Å³; the CODATA figure 6.241509074e-7 differs by 8e-8 relative).
 *
 * <p>If {@code lmp} is missing, times out or exits with an error, the call throws {@link AssertionError} with the
 * tail of the LAMMPS log; tests must not skip.
 */
public final class Lammps {
    /** The LAMMPS binary (Debian package {@code lammps}). */
    public static final Path LMP = Path.of("/usr/bin/lmp");
    /** eV/Å³ per bar as LAMMPS {@code units metal} defines it (1 / nktv2p). */
    public static final double EV_PER_A3_PER_BAR = 1.0 / 1.6021765e6;
    private static final long TIMEOUT_SECONDS = 120;
    private static final String FLOAT = "%.17g";

    /**
     * One LAMMPS evaluation in the structure's frame.
     *
     * @param energy total potential energy (eV)
     * @param forces forces (eV/Å), 3 per atom
     * @param stress stress (eV/Å³), ASE sign, Voigt xx yy zz yz xz xy
     * @param energies per-atom energies (eV)
     */
    public record Result(double energy, double[] forces, double[] stress, double[] energies) {}

    /**
     * One dumped MD frame in the structure's frame.
     *
     * @param step the LAMMPS timestep
     * @param positions positions (Å), wrapped into the box by LAMMPS
     * @param velocities velocities (Å/fs)
     * @param forces forces (eV/Å)
     * @param energies per-atom potential energies (eV)
     */
    public record Frame(long step, double[] positions, double[] velocities, double[] forces, double[] energies) {}

    private Lammps() {}

    /**
     * @param structure atoms in a cell with volume (periodic or not along each axis)
     * @param species one element per LAMMPS type, type 1 first
     * @param pairLines the {@code pair_style}, {@code pair_coeff} (and {@code pair_modify}) lines
     * @return energy, forces, stress and per-atom energies from LAMMPS
     */
    public static Result compute(Structure structure, List<Element> species, List<String> pairLines) {
        Path dir = tempDir();
        try {
            LammpsBox box = writeAndRun(structure, species, pairLines, List.of(), 0, 1, dir);
            String[] values = Files.readString(dir.resolve("result.txt"), StandardCharsets.UTF_8).strip()
                    .split("\\s+");
            double energy = Double.parseDouble(values[0]);
            double[] pressure = new double[6];
            for (int c = 0; c < 6; c++) {
                pressure[c] = -Double.parseDouble(values[1 + c]) * EV_PER_A3_PER_BAR;
            }
            LammpsDump.Frame f = LammpsDump.read(dir.resolve("dump.txt")).getFirst();
            double[] forces = f.forces().clone();
            box.fromLammps(forces);
            return new Result(energy, forces, box.tensorFromLammps(pressure), f.energies());
        } catch (IOException e) {
            throw new AssertionError("LAMMPS output in " + dir + " could not be read: " + e, e);
        } finally {
            delete(dir);
        }
    }

    /**
     * Runs {@code steps} MD steps and returns the frames dumped every {@code dumpEvery} steps (step 0 first).
     *
     * @param structure atoms (Å), with velocities (Å/fs) or none
     * @param species one element per LAMMPS type, type 1 first
     * @param pairLines the {@code pair_style}/{@code pair_coeff} lines
     * @param mdLines the input lines defining the dynamics, e.g. {@code fix 1 all nve} and {@code timestep 0.001}
     *     (ps, LAMMPS metal units)
     * @param steps number of steps, ≥ 0
     * @param dumpEvery dump interval in steps, ≥ 1
     * @return the dumped frames, in order
     */
    public static List<Frame> run(Structure structure, List<Element> species, List<String> pairLines,
            List<String> mdLines, int steps, int dumpEvery) {
        Path dir = tempDir();
        try {
            LammpsBox box = writeAndRun(structure, species, pairLines, mdLines, steps, dumpEvery, dir);
            List<Frame> frames = new ArrayList<>();
            for (LammpsDump.Frame f : LammpsDump.read(dir.resolve("dump.txt"))) {
                double[] r = f.positions().clone();
                double[] v = f.velocities().clone();
                double[] force = f.forces().clone();
                box.fromLammps(r);
                box.fromLammps(force);
                for (int k = 0; k < v.length; k++) {
                    v[k] /= 1000.0;
                }
                box.fromLammps(v);
                frames.add(new Frame(f.timestep(), r, v, force, f.energies()));
            }
            return frames;
        } catch (IOException e) {
            throw new AssertionError("LAMMPS output in " + dir + " could not be read: " + e, e);
        } finally {
            delete(dir);
        }
    }

    /**
     * Asserts that {@code calc} agrees with LAMMPS on {@code structure}: energy per atom within
     * {@code energyTol} (eV), every per-atom energy within {@code energyTol} (eV), every force component within
     * {@code forceTol} (eV/Å), every stress component within {@code stressTol} (eV/Å³).
     *
     * @return the LAMMPS result, for further checks
     */
    public static Result assertAgrees(Calculator calc, Structure structure, List<Element> species,
            List<String> pairLines, double energyTol, double forceTol, double stressTol) {
        Result ref = compute(structure, species, pairLines);
        CalculationResults ours = calc.calculate(structure);
        int n = structure.size();
        assertEquals(ref.energy() / n, ours.energy / n, energyTol, "energy per atom (eV)");
        for (int i = 0; i < n; i++) {
            assertEquals(ref.energies()[i], ours.energies[i], energyTol, "energy of atom " + i + " (eV)");
            for (int k = 0; k < 3; k++) {
                assertEquals(ref.forces()[3 * i + k], ours.forces[3 * i + k], forceTol,
                        "force component " + k + " of atom " + i + " (eV/Å)");
            }
        }
        for (int c = 0; c < 6; c++) {
            assertEquals(ref.stress()[c], ours.stress[c], stressTol, "stress Voigt component " + c + " (eV/Å³)");
        }
        return ref;
    }

    private static LammpsBox writeAndRun(Structure s, List<Element> species, List<String> pairLines,
            List<String> mdLines, int steps, int dumpEvery, Path dir) throws IOException {
        if (!Files.isExecutable(LMP)) {
            throw new AssertionError("LAMMPS is not installed: " + LMP + " is missing (Debian package 'lammps')");
        }
        LammpsBox box = LammpsData.write(s, species, dir.resolve("data.lmp"));
        StringBuilder in = new StringBuilder();
        in.append("units metal\natom_style atomic\natom_modify map array sort 0 0\n");
        in.append("boundary");
        for (int d = 0; d < 3; d++) {
            in.append(s.cell().periodic(d) ? " p" : " s");
        }
        in.append("\nread_data data.lmp\n");
        pairLines.forEach(l -> in.append(l).append('\n'));
        in.append("compute pe all pe/atom\n");
        in.append("thermo_style custom step pe pxx pyy pzz pyz pxz pxy\n");
        in.append("thermo_modify format float ").append(FLOAT).append('\n');
        in.append("dump d all custom ").append(dumpEvery).append(" dump.txt id type x y z vx vy vz fx fy fz c_pe\n");
        in.append("dump_modify d sort id format float ").append(FLOAT).append('\n');
        mdLines.forEach(l -> in.append(l).append('\n'));
        in.append("run ").append(steps).append('\n');
        in.append("print \"$(pe:").append(FLOAT).append(")");
        for (String p : new String[] {"pxx", "pyy", "pzz", "pyz", "pxz", "pxy"}) {
            in.append(" $(").append(p).append(':').append(FLOAT).append(')');
        }
        in.append("\" file result.txt screen no\n");
        Files.writeString(dir.resolve("in.lmp"), in, StandardCharsets.UTF_8);
        runLmp(dir);
        return box;
    }

    private static void runLmp(Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(LMP.toString(), "-in", "in.lmp", "-log", "log.lammps", "-screen",
                "none").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("LAMMPS did not finish within " + TIMEOUT_SECONDS + " s\n" + tail(dir));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running LAMMPS", e);
        }
        if (p.exitValue() != 0 || !Files.exists(dir.resolve("result.txt"))) {
            throw new AssertionError("LAMMPS failed (exit " + p.exitValue() + ")\n" + tail(dir));
        }
    }

    private static String tail(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String name : new String[] {"log.lammps", "stdout.txt"}) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                sb.append("--- last lines of ").append(name).append(" ---\n");
                lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        }
        return sb.toString();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("soapstone-lammps");
        } catch (IOException e) {
            throw new AssertionError("cannot create a temporary directory: " + e, e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
