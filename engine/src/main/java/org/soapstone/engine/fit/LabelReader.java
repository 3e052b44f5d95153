package org.soapstone.engine.fit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.soapstone.engine.io.Spelling;
import org.soapstone.engine.neighbour.AtomsTooCloseException;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;

/**
 * Turns frames into {@link TrainingFrame}s with gap_fit's per-frame rules ({@code fit_data_from_xyz} in GAP's
 * {@code gap_fit_module.f95}), counting what it finds for the notes. Keys and property names are matched
 * case-insensitively, as QUIP does. What it finds is counted in a {@link Tally}; tallies of readers of consecutive
 * parts of a training set add up to the whole set's. Not thread-safe.
 */
public final class LabelReader {
    private static final String[] AXES = {"x", "y", "z"};

    private final FitSettings settings;
    private final String file;
    private final Tally tally = new Tally();

    /**
     * What the frames read held, for the notes: counts that add up over any split of the training set.
     */
    public static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        private long energies;
        private long forceComponents;
        private long maskedComponents;
        private long virials;
        private long virialsFromStress;
        private long asymmetricVirials;
        private long bothForceSigmas;
        private boolean sawForcesElsewhere;
        /** Every info key and per-atom property name of the frames read, in order of first appearance. */
        private final LinkedHashSet<String> infoKeys = new LinkedHashSet<>();
        private final LinkedHashSet<String> propertyNames = new LinkedHashSet<>();

        /** Adds another tally's counts (and names seen) to this one's. */
        public void add(Tally other) {
            infoKeys.addAll(other.infoKeys);
            propertyNames.addAll(other.propertyNames);
            energies += other.energies;
            forceComponents += other.forceComponents;
            maskedComponents += other.maskedComponents;
            virials += other.virials;
            virialsFromStress += other.virialsFromStress;
            asymmetricVirials += other.asymmetricVirials;
            bothForceSigmas += other.bothForceSigmas;
            sawForcesElsewhere |= other.sawForcesElsewhere;
        }

        /**
         * @return for each of energy, forces, virial and stress that no frame has under gap_fit's default name, the
         *     key the frames do have that was likely meant, as "no frame has 'force'; frames have 'forces' — did you
         *     mean force_parameter_name=forces?"
         */
        public List<String> warnings(FitSettings settings) {
            List<String> warnings = new ArrayList<>();
            if (energies == 0) {
                likelyMeant(settings, "energy", settings.energyParameterName(), infoKeys, "energ")
                        .ifPresent(warnings::add);
            }
            if (forceComponents == 0 && maskedComponents == 0) {
                likelyMeant(settings, "force", settings.forceParameterName(), propertyNames, "forc")
                        .ifPresent(warnings::add);
            }
            if (virials == 0) {
                likelyMeant(settings, "virial", settings.virialParameterName(), infoKeys, "virial")
                        .ifPresent(warnings::add);
                likelyMeant(settings, "stress", settings.stressParameterName(), infoKeys, "stress")
                        .ifPresent(warnings::add);
            }
            return warnings;
        }

        /**
         * @param what the quantity, which is also gap_fit's default name of its key
         * @param name the name looked for
         * @param seen the names the frames have
         * @param stem a part of the names that hold the quantity under another name
         * @return the warning, if {@code name} is gap_fit's default and some other name looks like the quantity: the
         *     closest in spelling, else the first holding {@code stem} (σ keys and other quantities' keys excepted)
         */
        private static Optional<String> likelyMeant(FitSettings settings, String what, String name, Set<String> seen,
                String stem) {
            if (!name.equalsIgnoreCase(what)) {
                return Optional.empty();
            }
            String sigma = settings.sigmaParameterName().toLowerCase(Locale.ROOT);
            List<String> used = List.of(settings.energyParameterName(), settings.forceParameterName(),
                    settings.virialParameterName(), settings.stressParameterName());
            List<String> candidates = seen.stream().filter(k -> used.stream().noneMatch(k::equalsIgnoreCase)
                    && !k.toLowerCase(Locale.ROOT).contains(sigma)).toList();
            Optional<String> match = Spelling.closest(name, candidates).or(() -> candidates.stream()
                    .filter(k -> k.toLowerCase(Locale.ROOT).contains(stem)).findFirst());
            return match.map(m -> "no frame has '" + name + "'; frames have '" + m + "' — did you mean " + what
                    + "_parameter_name=" + m + "?");
        }

        /** @return what was found and not found, for the user */
        public List<String> notes(FitSettings settings) {
            List<String> notes = new ArrayList<>();
            notes.add("fitting " + energies + " energies ('" + settings.energyParameterName() + "'), "
                    + forceComponents + " force components ('" + settings.forceParameterName() + "'"
                    + (maskedComponents > 0 ? ", " + maskedComponents + " more excluded by '"
                    + settings.forceMaskParameterName() + "'" : "") + "), " + virials + " virials ('"
                    + settings.virialParameterName() + "'" + (virialsFromStress > 0 ? ", " + virialsFromStress
                    + " of them from '" + settings.stressParameterName() + "'" : "") + ")");
            if (energies == 0) {
                notes.add("energy: not fitted — no frame has '" + settings.energyParameterName() + "'");
            }
            if (forceComponents == 0 && maskedComponents == 0) {
                notes.add("forces: not fitted — no frame has per-atom '" + settings.forceParameterName() + "'"
                        + (sawForcesElsewhere ? " (some have 'forces' or 'force': set force_parameter_name)" : ""));
            }
            if (virials == 0) {
                notes.add("virial: not fitted — no frame has '" + settings.virialParameterName() + "' or '"
                        + settings.stressParameterName() + "'");
            }
            if (asymmetricVirials > 0) {
                notes.add(asymmetricVirials + " virial(s) not symmetric: symmetrised (as gap_fit)");
            }
            if (bothForceSigmas > 0) {
                notes.add(bothForceSigmas + " frame(s) have both force_atom_" + settings.sigmaParameterName()
                        + " and force_component_" + settings.sigmaParameterName()
                        + ": the per-component values are used (as gap_fit)");
            }
            return notes;
        }
    }

    /**
     * @param settings the fit's settings (names, σ)
     * @param file the training file as named in error messages
     */
    public LabelReader(FitSettings settings, String file) {
        this.settings = settings;
        this.file = file;
    }

    /** Position of the frame being read, for error messages. */
    private record Where(String file, int index, long line) {
        TrainingDataException header(String field, String detail) {
            return new TrainingDataException(file, index, line + 1, field, detail);
        }

        TrainingDataException atom(int atom, String field, String detail) {
            return new TrainingDataException(file, index, line + 2 + atom, field, "atom " + (atom + 1) + " " + detail);
        }
    }

    /**
     * @param index the frame's 0-based index in the training set
     * @param line the 1-based line of the frame's atom-count line
     * @param s the frame as read
     * @return the frame's data and σ
     * @throws TrainingDataException naming file, line, frame and field for data gap_fit's rules cannot use
     */
    public TrainingFrame read(int index, long line, Structure s) {
        Where at = new Where(file, index, line);
        tally.infoKeys.addAll(s.info().keySet());
        tally.propertyNames.addAll(s.properties().keySet());
        int n = s.size();
        if (n == 0) {
            throw at.header("atoms", "the frame has no atoms");
        }
        double[] pos = s.positions();
        for (int k = 0; k < pos.length; k++) {
            if (!Double.isFinite(pos[k])) {
                throw at.atom(k / 3, "'pos'", "component " + AXES[k % 3] + " is " + pos[k] + "; it must be finite");
            }
        }
        try {
            NeighbourList.build(s, AtomsTooCloseException.MIN_DISTANCE, false);
        } catch (AtomsTooCloseException e) {
            throw new TrainingDataException(file, index, line + 2 + e.second(), "'pos'", e.getMessage());
        }
        rejectUnsupported(at, s);
        String configType = configType(s);
        Sigmas sigmas = settings.sigmasFor(configType);
        String sigmaSource = settings.configTypeSigma().containsKey(configType) ? "config_type_sigma " + configType
                : settings.configTypeSigma().containsKey("default") ? "config_type_sigma default" : "default_sigma";
        double perAtom = settings.sigmaPerAtom() ? Math.sqrt(n) : 1.0;
        String sig = settings.sigmaParameterName();

        double energy = Double.NaN;
        double energySigma = Double.NaN;
        Double e = scalar(at, s, settings.energyParameterName());
        if (e != null) {
            energy = e;
            Double given = scalar(at, s, "energy_" + sig);
            energySigma = given != null ? given : sigmas.energy() * perAtom;
            checkSigma(at, energySigma, given != null ? "'energy_" + sig + "'" : sigmaSource + " (energy)", "energy");
            tally.energies++;
        }

        double[] forces = null;
        double[] forceSigma = null;
        AtomProperty f = property(s, settings.forceParameterName());
        if (f != null) {
            forces = reals(at, f, 3, "'" + settings.forceParameterName() + "'");
            forceSigma = forceSigma(at, s, sigmas.force(), sigmaSource);
        } else if (property(s, "forces") != null || property(s, "force") != null) {
            tally.sawForcesElsewhere = true;
        }

        double[] virial = null;
        double[] virialSigma = null;
        double[] v = array(at, s, settings.virialParameterName());
        if (v != null) {
            if (v.length != 9) {
                throw at.header("'" + settings.virialParameterName() + "'", "has " + v.length
                        + " values; a virial needs 9 (3×3, eV)");
            }
            virial = v.clone();
        } else {
            virial = fromStress(at, s);
        }
        if (virial != null) {
            checkFinite(at, virial, "'" + (v != null ? settings.virialParameterName()
                    : settings.stressParameterName()) + "'");
            if (symmetrise(virial)) {
                tally.asymmetricVirials++;
            }
            virialSigma = virialSigma(at, s, sigmas.virial() * perAtom, sigmaSource);
            tally.virials++;
        }

        if (e == null && (forceSigma == null || countFitted(forceSigma) == 0) && virial == null) {
            throw at.header("data", "nothing to fit: no '" + settings.energyParameterName() + "', no fitted per-atom '"
                    + settings.forceParameterName() + "', no '" + settings.virialParameterName() + "' or '"
                    + settings.stressParameterName() + "'" + forcesHint(s));
        }
        return new TrainingFrame(index, Math.toIntExact(line), s, configType, energy, energySigma, forces,
                forceSigma, virial, virialSigma);
    }

    private String forcesHint(Structure s) {
        for (String name : new String[] {"forces", "force"}) {
            if (!name.equalsIgnoreCase(settings.forceParameterName()) && property(s, name) != null) {
                return " (the frame has per-atom '" + name + "': set force_parameter_name=" + name + ")";
            }
        }
        return "";
    }

    private void rejectUnsupported(Where at, Structure s) {
        if (info(s, "n_hessian") != null) {
            throw at.header("'n_hessian'", "Hessian data are not supported by soapstone fit");
        }
        if (property(s, "local_property") != null) {
            throw at.header("'local_property'", "local properties are not supported by soapstone fit");
        }
    }

    private String configType(Structure s) {
        Object ct = info(s, settings.configTypeParameterName());
        return switch (ct) {
            case null -> "default";
            case String str -> str;
            default -> ct.toString();
        };
    }

    private double[] forceSigma(Where at, Structure s, double frameDefault, String defaultSource) {
        int n = s.size();
        String sig = settings.sigmaParameterName();
        AtomProperty component = property(s, "force_component_" + sig);
        AtomProperty atom = property(s, "force_atom_" + sig);
        Double frame = scalar(at, s, "force_" + sig);
        double[] sigma = new double[3 * n];
        String source;
        if (component != null) {
            source = "'force_component_" + sig + "'";
            System.arraycopy(reals(at, component, 3, source), 0, sigma, 0, 3 * n);
            if (atom != null) {
                tally.bothForceSigmas++;
            }
        } else if (atom != null) {
            source = "'force_atom_" + sig + "'";
            double[] a = reals(at, atom, 1, source);
            for (int i = 0; i < n; i++) {
                sigma[3 * i] = sigma[3 * i + 1] = sigma[3 * i + 2] = a[i];
            }
        } else {
            source = frame != null ? "'force_" + sig + "'" : defaultSource + " (force)";
            java.util.Arrays.fill(sigma, frame != null ? frame : frameDefault);
        }
        boolean[] mask = mask(at, s);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                if (mask != null && mask[i]) {
                    sigma[3 * i + k] = Double.POSITIVE_INFINITY;
                    tally.maskedComponents++;
                    continue;
                }
                double value = sigma[3 * i + k];
                if (!(value > 0) || !Double.isFinite(value)) {
                    throw at.atom(i, source, "component " + AXES[k] + ": force sigma " + value
                            + " is not allowed; it must be finite and > 0 (gap_fit: too small force_sigma)");
                }
                tally.forceComponents++;
            }
        }
        return sigma;
    }

    private boolean[] mask(Where at, Structure s) {
        AtomProperty m = property(s, settings.forceMaskParameterName());
        if (m == null) {
            return null;
        }
        if (m.type() != AtomProperty.Type.LOGICAL || m.columns() != 1) {
            throw at.header("'" + settings.forceMaskParameterName() + "'", "must be one logical column (T = the "
                    + "atom's forces are not fitted); found type " + m.type().letter() + " with " + m.columns()
                    + " column(s)");
        }
        return (boolean[]) m.data();
    }

    private double[] fromStress(Where at, Structure s) {
        double[] stress = array(at, s, settings.stressParameterName());
        if (stress == null) {
            return null;
        }
        String field = "'" + settings.stressParameterName() + "'";
        double[] v;
        if (stress.length == 9) {
            v = stress.clone();
        } else if (stress.length == 6) {
            // Voigt order xx yy zz yz xz xy
            v = new double[] {stress[0], stress[5], stress[4], stress[5], stress[1], stress[3], stress[4], stress[3],
                stress[2]};
        } else {
            throw at.header(field, "has " + stress.length + " values; a stress needs 9 (3×3) or 6 (Voigt), eV/Å³");
        }
        if (!s.cell().hasVolume()) {
            throw at.header(field, "the frame has a stress but no cell (Lattice), so no volume to turn it into a "
                    + "virial");
        }
        double volume = s.volume();
        for (int k = 0; k < 9; k++) {
            v[k] = -v[k] * volume;
        }
        tally.virialsFromStress++;
        return v;
    }

    private double[] virialSigma(Where at, Structure s, double frameDefault, String defaultSource) {
        String sig = settings.sigmaParameterName();
        double[] component = array(at, s, "virial_component_" + sig);
        Double frame = scalar(at, s, "virial_" + sig);
        double[] sigma;
        String source;
        if (component != null) {
            source = "'virial_component_" + sig + "'";
            if (component.length != 9) {
                throw at.header(source, "has " + component.length + " values; it needs 9 (3×3, eV)");
            }
            sigma = component.clone();
            symmetrise(sigma);
        } else {
            source = frame != null ? "'virial_" + sig + "'" : defaultSource + " (virial)";
            sigma = new double[9];
            java.util.Arrays.fill(sigma, frame != null ? frame : frameDefault);
        }
        for (double value : sigma) {
            checkSigma(at, value, source, "virial");
        }
        return sigma;
    }

    private static void checkSigma(Where at, double value, String source, String what) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw at.header(source, what + " sigma " + value + " is not allowed; it must be finite and > 0 (gap_fit: "
                    + "too small " + what + "_sigma)");
        }
    }

    /** Replaces a 3×3 row-major matrix by (M + Mᵀ)/2; returns true if it was not symmetric. */
    private static boolean symmetrise(double[] m) {
        boolean asymmetric = false;
        for (int r = 0; r < 3; r++) {
            for (int c = r + 1; c < 3; c++) {
                double a = m[3 * r + c];
                double b = m[3 * c + r];
                asymmetric |= a != b;
                m[3 * r + c] = m[3 * c + r] = 0.5 * (a + b);
            }
        }
        return asymmetric;
    }

    private static int countFitted(double[] sigma) {
        int count = 0;
        for (double s : sigma) {
            if (s != Double.POSITIVE_INFINITY) {
                count++;
            }
        }
        return count;
    }

    private static double[] reals(Where at, AtomProperty p, int columns, String field) {
        if (p.type() != AtomProperty.Type.REAL || p.columns() != columns) {
            throw at.header(field, "must be " + columns + " real column" + (columns > 1 ? "s" : "")
                    + " per atom; found type " + p.type().letter() + " with " + p.columns() + " column(s)");
        }
        double[] d = p.reals();
        for (int k = 0; k < d.length; k++) {
            if (!Double.isFinite(d[k])) {
                throw at.atom(k / columns, field, (columns > 1 ? "component " + AXES[k % columns] + " " : "")
                        + "is " + d[k] + "; it must be finite");
            }
        }
        return d;
    }

    private static void checkFinite(Where at, double[] values, String field) {
        for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
                throw at.header(field, "value " + (k + 1) + " is " + values[k] + "; it must be finite");
            }
        }
    }

    /** @return a per-frame number, or null if absent */
    private static Double scalar(Where at, Structure s, String key) {
        Object v = info(s, key);
        Double d = switch (v) {
            case null -> null;
            case Double x -> x;
            case Long x -> x.doubleValue();
            case Integer x -> x.doubleValue();
            default -> throw at.header("'" + key + "'", "'" + show(v) + "' is not a number");
        };
        if (d != null && !Double.isFinite(d)) {
            throw at.header("'" + key + "'", "is " + d + "; it must be finite");
        }
        return d;
    }

    /** @return per-frame numbers, or null if absent */
    private static double[] array(Where at, Structure s, String key) {
        Object v = info(s, key);
        return switch (v) {
            case null -> null;
            case double[] d -> d;
            case long[] l -> {
                double[] d = new double[l.length];
                for (int k = 0; k < l.length; k++) {
                    d[k] = l[k];
                }
                yield d;
            }
            case Double d -> new double[] {d};
            case Long l -> new double[] {l};
            default -> throw at.header("'" + key + "'", "'" + show(v) + "' is not a list of numbers");
        };
    }

    private static String show(Object v) {
        return switch (v) {
            case boolean[] b -> java.util.Arrays.toString(b);
            case String[] a -> java.util.Arrays.toString(a);
            default -> String.valueOf(v);
        };
    }

    /** @return the info value under {@code key}, matched exactly, else case-insensitively (as QUIP); or null */
    static Object info(Structure s, String key) {
        return lookup(s.info(), key);
    }

    /** @return the per-atom property {@code name}, matched exactly, else case-insensitively; or null */
    static AtomProperty property(Structure s, String name) {
        return lookup(s.properties(), name);
    }

    private static <V> V lookup(Map<String, V> map, String key) {
        V v = map.get(key);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, V> e : map.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** @return what the frames read so far held */
    public Tally tally() {
        return tally;
    }
}
