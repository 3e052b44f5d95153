package org.soapstone.engine.fit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.descriptor.DescriptorStringException;
import org.soapstone.engine.io.Spelling;
import org.soapstone.engine.structure.Element;

/**
 * Reads gap_fit's own command line ({@code gap_fit_parse_command_line} in GAP's {@code gap_fit_module.f95}), e.g.
 * {@code at_file=train.xyz gap={soap cutoff=5.0 ...} default_sigma={0.01 0.05 0.01 1} e0={Si:-0.79} gp_file=si.gap}
 * as the shell splits it, into {@link FitSettings}.
 *
 * <p>The tokens are joined and split into {@code key=value} fields as QUIP does ({@code {}}, nested, and quotes
 * group; keys are case-insensitive; a bare logical key means T; logicals are T, F, true, false). Every key gap_fit
 * knows is recognised under both its spellings: the keys Soapstone implements set the settings (including
 * {@code sparsify_only_no_fit}, {@code export_covariance}, {@code condition_number_norm} and
 * {@code do_copy_at_file}); keys that change nothing but gap_fit's logging or parallel layout are accepted and listed
 * in {@link #notes()}, as are output keys that only a gap_fit XML output carries when another output is asked for;
 * keys for gap_fit features Soapstone lacks (local properties, Hessians, template files,
 * dry runs, linear-system dumps, inline sparse points, actual-covariance sparsification) are a
 * {@link FitSettingsException} naming the key and why, unless given at gap_fit's default value, which changes
 * nothing. Unknown keys are an error naming the closest known key; so are a key given twice
 * (under either spelling), a missing mandatory key ({@code at_file}, {@code gap}, {@code default_sigma}) and a bad
 * value. With {@code config_file=FILE} gap_fit reads its arguments from FILE (line breaks are spaces) and ignores
 * every other argument; Soapstone refuses other arguments beside it instead of ignoring them.
 */
public final class GapFitCommandLine {
    private static final Pattern REAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eEdD][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private final FitSettings settings;
    private final List<String> notes;
    private final List<String> effective;
    private final String atFile;

    private GapFitCommandLine(FitSettings settings, List<String> notes, List<String> effective, String atFile) {
        this.settings = settings;
        this.notes = List.copyOf(notes);
        this.effective = List.copyOf(effective);
        this.atFile = atFile;
    }

    /**
     * @param args gap_fit's arguments as the shell split them
     * @param workingDirectory the directory relative file names ({@code at_file}, {@code gap_file},
     *     {@code config_file}) are resolved against
     * @return the settings
     * @throws FitSettingsException naming the key for any unusable argument
     */
    public static FitSettings parse(List<String> args, Path workingDirectory) {
        return read(args, workingDirectory).settings();
    }

    /**
     * Like {@link #parse} but also keeps the notes on accepted keys that have no effect in Soapstone.
     *
     * @param args gap_fit's arguments as the shell split them
     * @param workingDirectory the directory relative file names are resolved against
     * @return the settings and the notes
     * @throws FitSettingsException naming the key for any unusable argument
     */
    public static GapFitCommandLine read(List<String> args, Path workingDirectory) {
        Source source = source(args, workingDirectory);
        Builder builder = new Builder(source.fields(), workingDirectory, source.line(), args);
        FitSettings settings = builder.build();
        return new GapFitCommandLine(settings, builder.notes, source.effective(),
                text(source.fields().get(GapFitKey.AT_FILE)));
    }

    /**
     * The same arguments with some keys set anew, as tokens that {@link #parse} reads back: one token per field,
     * {@code key=value} (a value with spaces or none in braces), in the order given; a field whose key (under either
     * spelling) is in {@code values} takes the new value and the new spelling; keys not given before are appended.
     * A {@code config_file} is replaced by the fields it holds.
     *
     * @param args gap_fit's arguments as the shell split them
     * @param workingDirectory the directory a {@code config_file} is resolved against
     * @param values new values by key (either spelling)
     * @return the tokens
     * @throws FitSettingsException for an unusable argument or an unknown key in {@code values}
     */
    public static List<String> rewrite(List<String> args, Path workingDirectory, Map<String, String> values) {
        Map<GapFitKey, ArgumentLine.Field> fields = source(args, workingDirectory).fields();
        Map<GapFitKey, ArgumentLine.Field> set = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            GapFitKey k = GapFitKey.of(key);
            if (k == null) {
                throw new FitSettingsException("unknown key '" + key + "'" + Spelling.closest(key,
                        GapFitKey.spellings()).map(c -> "; did you mean '" + c + "'?").orElse(""));
            }
            set.put(k, new ArgumentLine.Field(key, value));
        });
        List<String> out = new ArrayList<>();
        fields.forEach((k, f) -> out.add(token(set.getOrDefault(k, f))));
        set.forEach((k, f) -> {
            if (!fields.containsKey(k)) {
                out.add(token(f));
            }
        });
        return out;
    }

    private static String token(ArgumentLine.Field f) {
        if (f.value() == null) {
            return f.spelling();
        }
        boolean brace = f.value().isEmpty() || f.value().chars().anyMatch(Character::isWhitespace);
        return f.spelling() + "=" + (brace ? "{" + f.value() + "}" : f.value());
    }

    /**
     * Where the settings come from.
     *
     * @param fields the fields of the command line, or of the config_file it names
     * @param line the text they were read from
     * @param effective arguments that give the same fields without reading any file
     */
    private record Source(Map<GapFitKey, ArgumentLine.Field> fields, String line, List<String> effective) {
    }

    /** The fields of the arguments, or of the config_file they name. */
    private static Source source(List<String> args, Path workingDirectory) {
        String line = ArgumentLine.join(args);
        Map<GapFitKey, ArgumentLine.Field> fields = collect(line, "the command line");
        List<String> effective = args;
        ArgumentLine.Field config = fields.get(GapFitKey.CONFIG_FILE);
        if (config != null) {
            if (fields.size() > 1) {
                List<String> others = new ArrayList<>();
                fields.forEach((k, f) -> {
                    if (k != GapFitKey.CONFIG_FILE) {
                        others.add(f.spelling());
                    }
                });
                throw new FitSettingsException("config_file is given together with " + String.join(", ", others)
                        + "; gap_fit would ignore those arguments: put them in the config file");
            }
            Path file = workingDirectory.resolve(text(config));
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new FitSettingsException("config_file=" + config.value() + ": cannot read " + file + ": " + e,
                        e);
            }
            line = text.replace('\r', ' ').replace('\n', ' ').strip();
            effective = List.of(line);
            fields = collect(line, "config_file " + file);
            if (fields.containsKey(GapFitKey.CONFIG_FILE)) {
                throw new FitSettingsException("config_file " + file + " names another config_file; gap_fit reads "
                        + "only one");
            }
        }
        return new Source(fields, line, effective);
    }

    /** @return the settings */
    public FitSettings settings() {
        return settings;
    }

    /**
     * @return arguments that give the same settings without reading any file: the command line, or the text of its
     *     {@code config_file} (for another process, e.g. a cluster's executors, to parse again)
     */
    public List<String> effectiveArguments() {
        return effective;
    }

    /**
     * @return {@code at_file} as given, before it is resolved against the working directory (a distributed fit
     *     reads it as a Hadoop path, URI or glob)
     */
    public String atFileArgument() {
        return atFile;
    }

    /** @return one line per accepted key that has no effect in Soapstone, and gap_fit's warnings, for the user */
    public List<String> notes() {
        return notes;
    }

    private static Map<GapFitKey, ArgumentLine.Field> collect(String line, String source) {
        Map<GapFitKey, ArgumentLine.Field> fields = new EnumMap<>(GapFitKey.class);
        for (ArgumentLine.Field f : ArgumentLine.split(line, source)) {
            GapFitKey key = GapFitKey.of(f.spelling());
            if (key == null) {
                throw new FitSettingsException("unknown key '" + f.spelling() + "' in " + source + hint(f));
            }
            ArgumentLine.Field before = fields.put(key, f);
            if (before != null) {
                throw new FitSettingsException(key.describe() + " is given twice in " + source + ": '"
                        + show(before) + "' and '" + show(f) + "'");
            }
        }
        return fields;
    }

    /**
     * @return "; did you mean 'KEY'?" for the gap_fit key or descriptor key (said to go inside gap={...}) an unknown
     *     key was likely meant to be (at_file for a bare file name), else a reminder of what the command line takes
     */
    private static String hint(ArgumentLine.Field f) {
        String spelling = f.spelling();
        if (f.value() == null && spelling.contains(".")) {
            return "; did you mean 'at_file'? (a training file is given as at_file=" + spelling + ")";
        }
        Optional<String> key = Spelling.closest(spelling, GapFitKey.spellings());
        if (key.isPresent()) {
            return "; did you mean '" + key.get() + "'?";
        }
        Optional<String> descriptorKey = Spelling.closest(spelling, DescriptorString.keys());
        if (descriptorKey.isPresent()) {
            return "; did you mean '" + descriptorKey.get() + "'? It is a key of the descriptor strings: put it "
                    + "inside gap={soap ... " + descriptorKey.get() + "=...}";
        }
        return " (soapstone fit takes gap_fit's key=value arguments; descriptor keys go inside gap={...})";
    }

    private static String show(ArgumentLine.Field f) {
        return f.value() == null ? f.spelling() : f.spelling() + "=" + f.value();
    }

    private static String text(ArgumentLine.Field f) {
        if (f.value() == null || f.value().isEmpty()) {
            throw new FitSettingsException(f.spelling() + " needs a value");
        }
        return f.value();
    }

    /** Turns the fields into settings, reading every key once. */
    private static final class Builder {
        private final Map<GapFitKey, ArgumentLine.Field> fields;
        private final Path directory;
        private final String line;
        private final List<String> arguments;
        private final List<String> notes = new ArrayList<>();

        Builder(Map<GapFitKey, ArgumentLine.Field> fields, Path directory, String line, List<String> arguments) {
            this.fields = fields;
            this.directory = directory;
            this.line = line;
            this.arguments = arguments;
        }

        FitSettings build() {
            List<String> missing = new ArrayList<>();
            for (GapFitKey k : new GapFitKey[] {GapFitKey.AT_FILE, GapFitKey.GAP, GapFitKey.DEFAULT_SIGMA}) {
                if (!fields.containsKey(k)) {
                    missing.add(k.describe());
                }
            }
            if (!missing.isEmpty()) {
                throw new FitSettingsException("missing mandatory key" + (missing.size() > 1 ? "s" : "") + ": "
                        + String.join(", ", missing) + " (gap_fit requires at_file, gap and default_sigma)");
            }
            fields.forEach(this::checkApplicable);
            boolean xml = string(GapFitKey.GAP_FILE, FitSettings.DEFAULT_GAP_FILE).toLowerCase(Locale.ROOT)
                    .endsWith(".xml");
            if (!xml && fields.containsKey(GapFitKey.DO_COPY_AT_FILE) && logical(GapFitKey.DO_COPY_AT_FILE, true)) {
                note(fields.get(GapFitKey.DO_COPY_AT_FILE), "copies the training file into gap_fit XML outputs; "
                        + "Soapstone's model file records the training file's SHA-256 instead");
            }
            if (!xml && logical(GapFitKey.EXPORT_COVARIANCE, false)) {
                note(fields.get(GapFitKey.EXPORT_COVARIANCE), "writes gap_fit's <gap_file>.R.<label> beside a gap_fit "
                        + "XML output; Soapstone's model file always keeps the posterior");
            }

            String prefix = string(GapFitKey.PARAMETER_NAME_PREFIX, "");
            String gap = text(fields.get(GapFitKey.GAP));
            E0Settings e0 = e0();
            return new FitSettings(
                    directory.resolve(text(fields.get(GapFitKey.AT_FILE))),
                    gap,
                    descriptors(gap),
                    sigmas(fields.get(GapFitKey.DEFAULT_SIGMA)),
                    configTypeSigma(),
                    logical(GapFitKey.SIGMA_PER_ATOM, true),
                    e0,
                    real(GapFitKey.E0_OFFSET, 0.0),
                    real(GapFitKey.SPARSE_JITTER, FitSettings.DEFAULT_SPARSE_JITTER),
                    prefix + string(GapFitKey.ENERGY_PARAMETER_NAME, "energy"),
                    prefix + string(GapFitKey.FORCE_PARAMETER_NAME, "force"),
                    prefix + string(GapFitKey.VIRIAL_PARAMETER_NAME, "virial"),
                    prefix + string(GapFitKey.STRESS_PARAMETER_NAME, "stress"),
                    prefix + string(GapFitKey.CONFIG_TYPE_PARAMETER_NAME, "config_type"),
                    prefix + string(GapFitKey.SIGMA_PARAMETER_NAME, "sigma"),
                    prefix + string(GapFitKey.FORCE_MASK_PARAMETER_NAME, "force_mask"),
                    directory.resolve(string(GapFitKey.GAP_FILE, FitSettings.DEFAULT_GAP_FILE)),
                    integer(GapFitKey.RND_SEED, -1),
                    directory,
                    logical(GapFitKey.SPARSIFY_ONLY_NO_FIT, false),
                    logical(GapFitKey.EXPORT_COVARIANCE, false),
                    ConditionNumberNorm.of(fields.containsKey(GapFitKey.CONDITION_NUMBER_NORM)
                            ? fields.get(GapFitKey.CONDITION_NUMBER_NORM).value() : null),
                    logical(GapFitKey.DO_COPY_AT_FILE, true),
                    line,
                    1,
                    arguments,
                    core());
        }

        /**
         * gap_fit's core potential: {@code core_ip_args} switches it on, {@code core_param_file} (default
         * {@code quip_params.xml}) holds its parameters, read now so that the model carries them.
         */
        private Baseline.QuipCore core() {
            ArgumentLine.Field args = fields.get(GapFitKey.BASELINE_IP_ARGS);
            ArgumentLine.Field file = fields.get(GapFitKey.BASELINE_PARAM_FILENAME);
            if (args == null) {
                if (file != null) {
                    note(file, "has no effect without core_ip_args (as gap_fit)");
                }
                return null;
            }
            String ipArgs = text(args);
            Path path = directory.resolve(file == null ? "quip_params.xml" : text(file));
            String parameters;
            try {
                parameters = Files.readString(path);
            } catch (IOException e) {
                throw new FitSettingsException((file == null ? "core_param_file (default quip_params.xml)"
                        : show(file)) + ": cannot read " + path + " (" + e.getMessage() + "); gap_fit reads the core "
                        + "potential's parameters from it", e);
            }
            try {
                return new Baseline.QuipCore(ipArgs, parameters);
            } catch (IllegalArgumentException e) {
                throw bad(args, e.getMessage());
            }
        }

        /** Rejects gap_fit features Soapstone lacks and notes keys that change nothing here. */
        private void checkApplicable(GapFitKey key, ArgumentLine.Field f) {
            switch (key) {
                case CONFIG_FILE, AT_FILE, GAP, E0, E0_OFFSET, E0_METHOD, DEFAULT_SIGMA, SPARSE_JITTER,
                        ENERGY_PARAMETER_NAME, FORCE_PARAMETER_NAME, VIRIAL_PARAMETER_NAME, STRESS_PARAMETER_NAME,
                        CONFIG_TYPE_PARAMETER_NAME, SIGMA_PARAMETER_NAME, FORCE_MASK_PARAMETER_NAME,
                        PARAMETER_NAME_PREFIX, CONFIG_TYPE_SIGMA, SIGMA_PER_ATOM, GAP_FILE, RND_SEED,
                        SPARSIFY_ONLY_NO_FIT, CONDITION_NUMBER_NORM, EXPORT_COVARIANCE, DO_COPY_AT_FILE -> { }
                case LOCAL_PROPERTY0, DEFAULT_LOCAL_PROPERTY_SIGMA, LOCAL_PROPERTY_PARAMETER_NAME,
                        LOCAL_PROPERTY_MASK_PARAMETER_NAME -> reject(f, "fitting local properties is not supported");
                case HESSIAN_DISPLACEMENT, HESSIAN_PARAMETER_NAME -> reject(f, "fitting Hessians is not supported");
                case BASELINE_PARAM_FILENAME, BASELINE_IP_ARGS -> { }
                case TEMPLATE_FILE -> reject(f, "template files serve only descriptors Soapstone does not implement");
                case DRYRUN -> rejectIf(logical(f), f, "gap_fit's memory-estimate dry run is not supported");
                case SPARSE_USE_ACTUAL_GPCOV -> rejectIf(logical(f), f,
                        "sparsification with the actual GP covariance is not supported");
                case LINEAR_SYSTEM_DUMP_FILE -> rejectIf(f.value() != null && !f.value().isBlank(), f,
                        "the linear system is not dumped");
                case SPARSE_SEPARATE_FILE -> {
                    rejectIf(!logical(f), f, "sparse points are always written to separate files, as gap_fit's "
                            + "default sparse_separate_file=T");
                    note(f, "has no effect (gap_fit's default)");
                }
                case VERBOSITY -> {
                    String v = text(f).toUpperCase(Locale.ROOT);
                    if (!List.of("NORMAL", "VERBOSE", "NERD", "ANALYSIS").contains(v)) {
                        throw bad(f, "must be NORMAL, VERBOSE, NERD or ANALYSIS");
                    }
                    note(f, "has no effect; soapstone fit prints its own progress");
                }
                case OPENMP_CHUNK_SIZE, MPI_BLOCKSIZE_ROWS, MPI_BLOCKSIZE_COLS -> {
                    integer(f);
                    note(f, "has no effect; Soapstone's parallelism is set with --threads");
                }
                case DO_IP_TIMING, MPI_PRINT_ALL -> {
                    logical(f);
                    note(f, "has no effect in soapstone fit");
                }
            }
        }

        private void note(ArgumentLine.Field f, String why) {
            notes.add(show(f) + ": accepted; " + why);
        }

        private static void rejectIf(boolean condition, ArgumentLine.Field f, String why) {
            if (condition) {
                reject(f, why);
            }
        }

        private static void reject(ArgumentLine.Field f, String why) {
            throw new FitSettingsException(show(f) + " is not supported by soapstone fit: " + why);
        }

        private static FitSettingsException bad(ArgumentLine.Field f, String allowed) {
            return new FitSettingsException(show(f) + ": the value '" + f.value() + "' is not allowed; " + allowed);
        }

        private List<DescriptorSpec> descriptors(String gap) {
            List<DescriptorSpec> out = new ArrayList<>();
            List<String> parts;
            try {
                parts = DescriptorString.split(gap);
            } catch (DescriptorStringException e) {
                throw new FitSettingsException("gap: " + e.getMessage(), e);
            }
            for (int i = 0; i < parts.size(); i++) {
                try {
                    out.add(DescriptorString.parse(parts.get(i)));
                } catch (DescriptorStringException e) {
                    throw new FitSettingsException("gap: descriptor " + (i + 1) + " of " + parts.size() + " '"
                            + parts.get(i).strip() + "': " + e.getMessage(), e);
                }
            }
            return out;
        }

        private Sigmas sigmas(ArgumentLine.Field f) {
            List<String> parts = ArgumentLine.splitAt(text(f), " \t,", f.spelling());
            if (parts.size() != 4) {
                throw bad(f, "it needs 4 numbers {energy force virial hessian}, e.g. {0.01 0.05 0.01 1}");
            }
            return sigmas(f, parts);
        }

        private static Sigmas sigmas(ArgumentLine.Field f, List<String> four) {
            double[] v = new double[4];
            for (int k = 0; k < 4; k++) {
                v[k] = parseReal(f, four.get(k));
            }
            try {
                return new Sigmas(v[0], v[1], v[2], v[3]);
            } catch (FitSettingsException e) {
                throw new FitSettingsException(show(f) + ": " + e.getMessage(), e);
            }
        }

        private Map<String, Sigmas> configTypeSigma() {
            ArgumentLine.Field f = fields.get(GapFitKey.CONFIG_TYPE_SIGMA);
            if (f == null) {
                return Map.of();
            }
            List<String> parts = ArgumentLine.splitAt(text(f), " \t:;", f.spelling());
            if (parts.isEmpty() || parts.size() % 5 != 0) {
                throw bad(f, "it needs groups of 5 fields type:energy:force:virial:hessian, e.g. "
                        + "{liquid:0.003:0.15:0.2:0:surface:0.002:0.1:0.2:0}; found " + parts.size() + " fields");
            }
            Map<String, Sigmas> out = new LinkedHashMap<>();
            for (int k = 0; k < parts.size(); k += 5) {
                if (out.put(parts.get(k), sigmas(f, parts.subList(k + 1, k + 5))) != null) {
                    throw bad(f, "the config type '" + parts.get(k) + "' is given twice");
                }
            }
            return Collections.unmodifiableMap(out);
        }

        private E0Settings e0() {
            ArgumentLine.Field f = fields.get(GapFitKey.E0);
            ArgumentLine.Field method = fields.get(GapFitKey.E0_METHOD);
            if (f != null && fields.containsKey(GapFitKey.E0_OFFSET)) {
                notes.add("e0 and e0_offset are both given: the atomic energy is e0 + e0_offset (as gap_fit)");
            }
            if (f == null) {
                String m = method == null ? "isolated" : text(method).toLowerCase(Locale.ROOT);
                return switch (m) {
                    case "isolated" -> new E0Settings.Isolated();
                    case "average" -> new E0Settings.Average();
                    default -> throw bad(method, "must be isolated or average");
                };
            }
            if (method != null) {
                notes.add(show(method) + ": ignored because e0 is given (as gap_fit)");
            }
            List<String> parts = ArgumentLine.splitAt(text(f), ":", f.spelling());
            if (parts.size() == 1) {
                return new E0Settings.Uniform(parseReal(f, parts.get(0)));
            }
            if (parts.size() % 2 != 0) {
                throw bad(f, "it must be one number (eV) or pairs of species and value, e.g. {Si:-0.79:C:-2.5}");
            }
            Map<Integer, Double> byZ = new LinkedHashMap<>();
            for (int k = 0; k < parts.size(); k += 2) {
                int z = atomicNumber(f, parts.get(k));
                if (byZ.put(z, parseReal(f, parts.get(k + 1))) != null) {
                    throw bad(f, "the species " + Element.of(z).symbol() + " is given twice");
                }
            }
            return new E0Settings.PerSpecies(byZ);
        }

        private static int atomicNumber(ArgumentLine.Field f, String symbol) {
            String s = symbol.strip();
            if (!Element.isSymbol(s) && !s.isEmpty()) {
                s = Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase(Locale.ROOT);
            }
            if (!Element.isSymbol(s)) {
                throw bad(f, "'" + symbol + "' is not a chemical symbol");
            }
            return Element.of(s).number();
        }

        private String string(GapFitKey key, String def) {
            ArgumentLine.Field f = fields.get(key);
            return f == null ? def : text(f);
        }

        private double real(GapFitKey key, double def) {
            ArgumentLine.Field f = fields.get(key);
            return f == null ? def : parseReal(f, text(f));
        }

        private long integer(GapFitKey key, long def) {
            ArgumentLine.Field f = fields.get(key);
            return f == null ? def : integer(f);
        }

        private boolean logical(GapFitKey key, boolean def) {
            ArgumentLine.Field f = fields.get(key);
            return f == null ? def : logical(f);
        }

        private static double parseReal(ArgumentLine.Field f, String v) {
            String s = v.strip();
            if (!REAL.matcher(s).matches()) {
                throw bad(f, "'" + s + "' is not a number");
            }
            return Double.parseDouble(s.replace('d', 'e').replace('D', 'e'));
        }

        private static long integer(ArgumentLine.Field f) {
            String s = text(f).strip();
            if (!INTEGER.matcher(s).matches()) {
                throw bad(f, "must be an integer");
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw bad(f, "must be an integer that fits 64 bits");
            }
        }

        private static boolean logical(ArgumentLine.Field f) {
            if (f.value() == null) {
                return true;
            }
            return switch (f.value().strip().toLowerCase(Locale.ROOT)) {
                case "t", "true", ".true." -> true;
                case "f", "false", ".false." -> false;
                default -> throw bad(f, "must be T or F");
            };
        }
    }
}
