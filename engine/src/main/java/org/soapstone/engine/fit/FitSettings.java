package org.soapstone.engine.fit;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorStringException;

/**
 * The settings of a fit, as gap_fit's command line gives them ({@code gap_fit_parse_command_line} in GAP's
 * {@code gap_fit_module.f95}), with gap_fit's defaults; {@link GapFitCommandLine#parse} builds them from the
 * command line itself. The names of the data in the training file are final: {@code parameter_name_prefix} is
 * already applied.
 *
 * @param atFile {@code at_file}: the extended-XYZ training file
 * @param gap {@code gap}: the descriptor strings, {@code :}-separated, as given (outer braces removed)
 * @param descriptors the parsed {@code gap} strings, before gap_fit's {@code add_species} expansion; each has the
 *     keys gap_fit requires to fit ({@code delta}, {@code covariance_type})
 * @param defaultSigma {@code default_sigma={E F V H}}
 * @param configTypeSigma {@code config_type_sigma={type:E:F:V:H:...}} by config type, in the order given; a
 *     {@code default} entry, if present, overrides {@code default_sigma}; empty if not given
 * @param sigmaPerAtom {@code sigma_per_atom} (default T): energy and virial σ are per atom, scaled by √N
 * @param e0 how e0 (eV per atom) is chosen
 * @param e0Offset {@code e0_offset} (eV per atom), added to e0 (default 0)
 * @param sparseJitter {@code sparse_jitter} (default 1e-10): added to the diagonal of K_MM (eV²)
 * @param energyParameterName {@code energy_parameter_name} (default {@code energy}): frame key of the total energy
 * @param forceParameterName {@code force_parameter_name} (default {@code force}): per-atom 3-column forces
 * @param virialParameterName {@code virial_parameter_name} (default {@code virial}): frame key, 9 values (eV)
 * @param stressParameterName {@code stress_parameter_name} (default {@code stress}): frame key, 9 or 6 (Voigt)
 *     values (eV/Å³, ASE sign), used only when the frame has no virial
 * @param configTypeParameterName {@code config_type_parameter_name} (default {@code config_type})
 * @param sigmaParameterName {@code sigma_parameter_name} (default {@code sigma}): per-frame σ keys are
 *     {@code energy_}, {@code force_}, {@code virial_}, {@code force_atom_}, {@code force_component_} and
 *     {@code virial_component_} followed by this name
 * @param forceMaskParameterName {@code force_mask_parameter_name} (default {@code force_mask}): per-atom logical,
 *     T = the atom's forces are not fitted
 * @param gapFile {@code gap_file} (default {@code gap_new.xml}): the model file to write
 * @param rndSeed {@code rnd_seed} (default −1: not seeded, a seed is drawn), else 1 … 2³¹ − 2, the range in which
 *     libAtoms' generator works (gap_fit aborts for 0)
 * @param directory the directory the file names of the descriptor strings ({@code sparse_file},
 *     {@code theta_file}, {@code print_sparse_index}) are relative to
 * @param sparsifyOnly {@code sparsify_only_no_fit} (default F): choose and write the sparse points, do not fit
 * @param exportCovariance {@code export_covariance} (default F): with a gap_fit XML output, also write the
 *     triangular factor R of the fit as gap_fit does ({@code <gap_file>.R.<label>})
 * @param conditionNumberNorm {@code condition_number_norm} (default blank: none): report the condition number of
 *     the least-squares matrix in this norm
 * @param copyAtFile {@code do_copy_at_file} (default T): a gap_fit XML output carries a copy of the training file
 *     in {@code <XYZ_data>}
 * @param commandLine gap_fit's record of its arguments (its {@code <command_line>}): the command line as QUIP joins
 *     it, or the config file's text with line breaks as spaces
 * @param mpiProcesses not a gap_fit key: the number of MPI processes of the gap_fit run to reproduce (the N of
 *     {@code mpirun -np N}; default 1), which sets the order of the candidates of the sparse points
 *     ({@link MpiFrameOrder})
 * @param arguments the command-line tokens as given, recorded in the model file
 */
public record FitSettings(Path atFile, String gap, List<DescriptorSpec> descriptors, Sigmas defaultSigma,
        Map<String, Sigmas> configTypeSigma, boolean sigmaPerAtom, E0Settings e0, double e0Offset,
        double sparseJitter, String energyParameterName, String forceParameterName, String virialParameterName,
        String stressParameterName, String configTypeParameterName, String sigmaParameterName,
        String forceMaskParameterName, Path gapFile, long rndSeed, Path directory, boolean sparsifyOnly,
        boolean exportCovariance, ConditionNumberNorm conditionNumberNorm, boolean copyAtFile, String commandLine,
        int mpiProcesses, List<String> arguments) {

    /** gap_fit's default {@code sparse_jitter}. */
    public static final double DEFAULT_SPARSE_JITTER = 1.0e-10;
    /** The largest {@code rnd_seed} libAtoms' generator accepts, 2³¹ − 2. */
    public static final long MAX_SEED = 2147483646L;
    /** gap_fit's default {@code gap_file}. */
    public static final String DEFAULT_GAP_FILE = "gap_new.xml";

    /** Validates and copies; throws {@link FitSettingsException} naming the setting. */
    public FitSettings {
        Objects.requireNonNull(atFile, "at_file");
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(defaultSigma, "default_sigma");
        Objects.requireNonNull(e0, "e0");
        Objects.requireNonNull(gapFile, "gap_file");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(conditionNumberNorm, "condition_number_norm");
        Objects.requireNonNull(commandLine, "commandLine");
        if (mpiProcesses < 1) {
            throw new FitSettingsException("the number of gap_fit MPI processes to reproduce must be ≥ 1, got "
                    + mpiProcesses);
        }
        if (rndSeed == 0 || rndSeed >= MAX_SEED + 1) {
            throw new FitSettingsException("rnd_seed=" + rndSeed + " is not allowed; it must be 1.." + MAX_SEED
                    + " (libAtoms' generator, which gap_fit seeds with it, fails for " + (rndSeed == 0 ? "0" : "it")
                    + ") or negative for a seed drawn at random");
        }
        descriptors = List.copyOf(descriptors);
        if (descriptors.isEmpty()) {
            throw new FitSettingsException("gap: no descriptor string given");
        }
        for (DescriptorSpec d : descriptors) {
            try {
                d.fit().requireForFit();
            } catch (DescriptorStringException e) {
                throw new FitSettingsException("gap: '" + d.text().strip() + "': " + e.getMessage(), e);
            }
        }
        configTypeSigma = Collections.unmodifiableMap(new LinkedHashMap<>(configTypeSigma));
        configTypeSigma.forEach((type, s) -> {
            if (type.isBlank() || s == null) {
                throw new FitSettingsException("config_type_sigma: bad entry '" + type + "'");
            }
        });
        if (!Double.isFinite(e0Offset)) {
            throw new FitSettingsException("e0_offset=" + e0Offset + " is not allowed; it must be a finite number");
        }
        if (!Double.isFinite(sparseJitter) || sparseJitter < 0) {
            throw new FitSettingsException("sparse_jitter=" + sparseJitter
                    + " is not allowed; it must be a finite number ≥ 0");
        }
        name("energy_parameter_name", energyParameterName);
        name("force_parameter_name", forceParameterName);
        name("virial_parameter_name", virialParameterName);
        name("stress_parameter_name", stressParameterName);
        name("config_type_parameter_name", configTypeParameterName);
        name("sigma_parameter_name", sigmaParameterName);
        name("force_mask_parameter_name", forceMaskParameterName);
        arguments = List.copyOf(arguments);
    }

    private static void name(String key, String value) {
        if (value == null || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new FitSettingsException(key + "='" + value + "' is not allowed; it must be a name without spaces");
        }
    }

    /**
     * The σ that apply to frames of a config type, as gap_fit chooses them: the type's {@code config_type_sigma}
     * entry, else the {@code default} entry, else {@code default_sigma}.
     *
     * @param configType the frame's config type ({@code default} if it has none)
     * @return the σ (energy and virial per atom if {@link #sigmaPerAtom()})
     */
    public Sigmas sigmasFor(String configType) {
        Sigmas s = configTypeSigma.get(configType);
        if (s == null) {
            s = configTypeSigma.get("default");
        }
        return s == null ? defaultSigma : s;
    }

    /**
     * @param processes the number of MPI processes of the gap_fit run to reproduce ({@link #mpiProcesses()})
     * @return these settings with it
     */
    public FitSettings withMpiProcesses(int processes) {
        return new FitSettings(atFile, gap, descriptors, defaultSigma, configTypeSigma, sigmaPerAtom, e0, e0Offset,
                sparseJitter, energyParameterName, forceParameterName, virialParameterName, stressParameterName,
                configTypeParameterName, sigmaParameterName, forceMaskParameterName, gapFile, rndSeed, directory,
                sparsifyOnly, exportCovariance, conditionNumberNorm, copyAtFile, commandLine, processes, arguments);
    }

    /**
     * @param name a file name given in a descriptor string ({@code sparse_file}, {@code theta_file},
     *     {@code print_sparse_index})
     * @return it resolved against {@link #directory()}
     */
    public Path resolve(String name) {
        return directory.resolve(name);
    }

    /** @return the largest cutoff of the descriptors (Å) */
    public double maxCutoff() {
        double max = 0;
        for (DescriptorSpec d : descriptors) {
            max = Math.max(max, d.descriptor().cutoff());
        }
        return max;
    }
}
