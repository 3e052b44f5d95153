package org.soapstone.potentials;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Element;
import org.soapstone.potentials.eam.Eam;
import org.soapstone.potentials.eam.EamTables;
import org.soapstone.potentials.lj.LennardJones;
import org.soapstone.potentials.lj.LennardJonesParameters;
import org.soapstone.potentials.lj.LjMixing;
import org.soapstone.potentials.lj.LjPair;
import org.soapstone.potentials.sw.StillingerWeber;
import org.soapstone.potentials.sw.SwFile;
import org.soapstone.potentials.tersoff.Tersoff;
import org.soapstone.potentials.tersoff.TersoffFile;
import org.soapstone.potentials.zbl.Zbl;
import org.soapstone.potentials.zbl.ZblParameters;

/**
 * A classical potential named on the command line as {@code KIND:ARGUMENTS}, the names following LAMMPS's
 * {@code pair_style}s:
 * <ul>
 *   <li>{@code sw:FILE} — Stillinger–Weber from a LAMMPS {@code .sw} file;
 *   <li>{@code tersoff:FILE} — Tersoff from a LAMMPS {@code .tersoff} file;
 *   <li>{@code eam:FILE[,FILE…]} — EAM from LAMMPS {@code funcfl} files (one element each);
 *   <li>{@code eam/alloy:FILE} — EAM from a {@code setfl} file; {@code eam/fs:FILE} — Finnis–Sinclair EAM;
 *   <li>{@code lj:species=Ar[+Kr…],epsilon=E,sigma=S,cutoff=RC[,mixing=geometric|arithmetic]} — shifted
 *       Lennard-Jones with ε (eV), σ (Å) and cutoff (Å) for every species (unlike pairs mixed by the rule, default
 *       geometric);
 *   <li>{@code zbl:inner=R1,outer=R2} — the ZBL universal screened repulsion switched off between R1 and R2 (Å).
 * </ul>
 * Every kind also takes {@code skin=S} (Å, the Verlet skin of its neighbour list), e.g.
 * {@code sw:Si.sw,skin=1.0}. Calculators use the {@linkplain WorkerPool#shared() shared worker pool}.
 */
public final class PotentialSpec {
    /** The kinds {@link #parse} knows. */
    public static final List<String> KINDS = List.of("sw", "tersoff", "eam", "eam/alloy", "eam/fs", "lj", "zbl");

    private PotentialSpec() {}

    /**
     * @param spec the specification, e.g. {@code sw:test-data/Si.sw}
     * @return the calculator it names
     * @throws IllegalArgumentException naming the part of the spec that is wrong and what is allowed
     * @throws IOException if a parameter file cannot be read
     */
    public static Calculator parse(String spec) throws IOException {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("potential '" + spec + "' is not KIND:ARGUMENTS; kinds: " + KINDS);
        }
        String kind = spec.substring(0, colon);
        List<String> files = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>();
        for (String part : spec.substring(colon + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                if (!part.isBlank()) {
                    files.add(part);
                }
            } else {
                keys.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        double skin = number(spec, keys, "skin", Double.NaN);
        WorkerPool pool = WorkerPool.shared();
        Calculator c = switch (kind) {
            case "sw" -> new StillingerWeber(SwFile.read(oneFile(spec, files)), or(skin, 1.0), pool);
            case "tersoff" -> new Tersoff(TersoffFile.read(oneFile(spec, files)), or(skin, 1.0), pool);
            case "eam" -> new Eam(EamTables.funcfl(paths(spec, files)), or(skin, 0.5), pool);
            case "eam/alloy" -> new Eam(EamTables.setfl(oneFile(spec, files)), or(skin, 0.5), pool);
            case "eam/fs" -> new Eam(EamTables.finnisSinclair(oneFile(spec, files)), or(skin, 0.5), pool);
            case "lj" -> lennardJones(spec, files, keys, or(skin, 0.5), pool);
            case "zbl" -> {
                noFiles(spec, files);
                yield new Zbl(new ZblParameters(required(spec, keys, "inner"), required(spec, keys, "outer")),
                        or(skin, 0.5), pool);
            }
            default -> throw new IllegalArgumentException("potential '" + spec + "': unknown kind '" + kind
                    + "'; kinds: " + KINDS);
        };
        if (!keys.isEmpty()) {
            throw new IllegalArgumentException("potential '" + spec + "': unknown key(s) " + keys.keySet()
                    + " for kind '" + kind + "'");
        }
        return c;
    }

    private static Calculator lennardJones(String spec, List<String> files, Map<String, String> keys, double skin,
            WorkerPool pool) {
        noFiles(spec, files);
        String species = keys.remove("species");
        if (species == null) {
            throw new IllegalArgumentException("potential '" + spec + "': lj needs species=EL[+EL…]");
        }
        double epsilon = required(spec, keys, "epsilon");
        double sigma = required(spec, keys, "sigma");
        double cutoff = required(spec, keys, "cutoff");
        String mixing = keys.remove("mixing");
        LjMixing rule;
        try {
            rule = mixing == null ? LjMixing.GEOMETRIC : LjMixing.valueOf(mixing.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("potential '" + spec + "': mixing must be geometric or arithmetic, got '"
                    + mixing + "'");
        }
        List<LjPair> like = new ArrayList<>();
        for (String symbol : species.split("\\+")) {
            Element e = Element.of(symbol.trim());
            like.add(new LjPair(e, e, epsilon, sigma, cutoff));
        }
        return new LennardJones(LennardJonesParameters.mixed(like, rule, List.of()), skin, pool);
    }

    private static Path oneFile(String spec, List<String> files) {
        if (files.size() != 1) {
            throw new IllegalArgumentException("potential '" + spec + "' needs exactly one parameter file, got "
                    + files.size());
        }
        return Path.of(files.get(0));
    }

    private static List<Path> paths(String spec, List<String> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("potential '" + spec + "' needs at least one parameter file");
        }
        return files.stream().map(Path::of).toList();
    }

    private static void noFiles(String spec, List<String> files) {
        if (!files.isEmpty()) {
            throw new IllegalArgumentException("potential '" + spec + "' takes KEY=VALUE arguments only, got "
                    + files);
        }
    }

    private static double required(String spec, Map<String, String> keys, String key) {
        double v = number(spec, keys, key, Double.NaN);
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("potential '" + spec + "' needs " + key + "=VALUE");
        }
        return v;
    }

    private static double number(String spec, Map<String, String> keys, String key, double fallback) {
        String v = keys.remove(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("potential '" + spec + "': " + key + "='" + v + "' is not a number");
        }
    }

    private static double or(double value, double fallback) {
        return Double.isNaN(value) ? fallback : value;
    }
}
