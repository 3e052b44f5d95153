package org.soapstone.engine.descriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses gap_fit descriptor strings such as
 * {@code soap cutoff=5.0 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 delta=1.0 covariance_type=dot_product n_sparse=200
 * sparse_method=cur_points} or {@code distance_2b cutoff=5.0 covariance_type=ard_se delta=0.5 theta_uniform=1.0}
 * with gap_fit's keys, spellings and defaults ({@code soap_initialise}, {@code distance_2b_initialise} in GAP's
 * {@code descriptors.f95}, {@code gap_fit_parse_gap_str} in {@code gap_fit_module.f95}). Unlike QUIP, which
 * ignores unknown keys, an unknown key or a bad value is a {@link DescriptorStringException} naming the key and
 * what is allowed; so is a QUIP option Soapstone does not implement, given a non-default value.
 */
public final class DescriptorString {
    /** GAP version before which central_reference_all_species defaulted to true. */
    private static final int XML_VERSION_CENTRAL_REFERENCE = 1426512068;
    /** GAP version that introduced the (2l+1)^{−1/2} factor of the SOAP power spectrum. */
    private static final int XML_VERSION_TWO_L_PLUS_ONE = 1423143769;

    private DescriptorString() {}

    /**
     * Parses gap_fit's {@code gap=} value: several descriptor strings separated by {@code :} or {@code ;} (outside
     * braces), each optionally in its own braces, the whole optionally wrapped in one pair of braces
     * ({@link #split}).
     *
     * @param gap e.g. {@code {distance_2b cutoff=4.0 ... : soap cutoff=4.5 ...}} or
     *     {@code {{distance_2b cutoff=4.0 ...}:{soap cutoff=4.5 ...}}}
     * @return one spec per descriptor string, in order
     */
    public static List<DescriptorSpec> parseAll(String gap) {
        List<DescriptorSpec> out = new ArrayList<>();
        for (String part : split(gap)) {
            out.add(parse(part));
        }
        return out;
    }

    /**
     * Splits gap_fit's {@code gap=} value into descriptor strings as gap_fit does ({@code split_string(gap_str,
     * ':;', '{}', matching=.true.)} in GAP's {@code gap_fit_parse_command_line}): one enclosing pair of braces is
     * removed from the whole value, the rest is split at {@code :} and {@code ;} outside braces, and a part that is
     * one brace group loses its braces. So {@code {a : b}}, {@code {{a}:{b}}}, {@code {{a}:b}} and, for one
     * descriptor, {@code {a}} and {@code {{a}}} all give {@code a} and {@code b}. (gap_fit also drops the braces of a
     * value inside an unbraced part, turning {@code species_Z={14 6}} into {@code species_Z=14 6}; such braces are
     * kept here, as the descriptor string means them.)
     *
     * @param gap the value of {@code gap=}
     * @return the descriptor strings, stripped, in order; empty parts are dropped
     * @throws DescriptorStringException for unbalanced braces
     */
    public static List<String> split(String gap) {
        String s = unbrace(gap);
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int k = 0; k <= s.length(); k++) {
            char ch = k < s.length() ? s.charAt(k) : ':';
            if (ch == '{') {
                depth++;
            } else if (ch == '}') {
                if (--depth < 0) {
                    throw new DescriptorStringException("unbalanced '}' in gap string '" + gap.strip() + "'");
                }
            } else if ((ch == ':' || ch == ';') && depth == 0) {
                String part = unbrace(s.substring(from, k));
                if (!part.isEmpty()) {
                    out.add(part);
                }
                from = k + 1;
            }
        }
        if (depth != 0) {
            throw new DescriptorStringException("unbalanced '{' in gap string '" + gap.strip() + "'");
        }
        return out;
    }

    /**
     * @param text a value
     * @return {@code text}, stripped, without one pair of braces enclosing all of it (as in {@code {...}}, not
     *     {@code {a} {b}}); unchanged if it has none or its braces do not balance
     */
    public static String unbrace(String text) {
        String s = text.strip();
        if (!s.startsWith("{")) {
            return s;
        }
        int depth = 0;
        for (int k = 0; k < s.length(); k++) {
            char ch = s.charAt(k);
            if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                return k == s.length() - 1 ? s.substring(1, k).strip() : s;
            }
        }
        return s;
    }

    /**
     * Parses one descriptor string.
     *
     * @param text the string, starting with the descriptor type
     * @return the parsed spec
     * @throws DescriptorStringException if the type or a key is unknown, a mandatory key is missing or a value is
     *     not allowed (here also {@code average=T}, which a GAP term cannot use)
     */
    public static DescriptorSpec parse(String text) {
        return parse(text, false);
    }

    /**
     * Parses one descriptor string to describe structures: as {@link #parse(String)}, and SOAP's
     * {@code average=T} (one instance per structure) is allowed.
     *
     * @param text the string, starting with the descriptor type
     * @return the parsed spec
     * @throws DescriptorStringException as {@link #parse(String)}
     */
    public static DescriptorSpec parseToDescribe(String text) {
        return parse(text, true);
    }

    private static DescriptorSpec parse(String text, boolean allowAverage) {
        KeyValues kv = KeyValues.parse(text);
        DescriptorParameters descriptor;
        try {
            descriptor = switch (kv.type()) {
                case "soap" -> soap(kv, allowAverage);
                case "distance_2b" -> distance2b(kv);
                default -> throw new DescriptorStringException("unsupported descriptor type '" + kv.type()
                        + "'; supported: soap, distance_2b");
            };
        } catch (DescriptorStringException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DescriptorStringException(e.getMessage());
        }
        FitParameters fit = fit(kv);
        kv.rejectUnknown();
        return new DescriptorSpec(text, descriptor, fit);
    }

    /** @return every key the descriptor strings of the supported types take (for spelling hints) */
    public static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        for (String text : List.of("soap cutoff=5 n_max=2 l_max=2 atom_sigma=0.5", "distance_2b cutoff=5")) {
            KeyValues kv = KeyValues.parse(text);
            if (kv.type().equals("soap")) {
                soap(kv, true);
            } else {
                distance2b(kv);
            }
            fit(kv);
            keys.addAll(kv.known());
        }
        return keys;
    }

    private static SoapParameters soap(KeyValues kv, boolean allowAverage) {
        double cutoff = kv.real(null, "cutoff");
        double width = kv.real(0.5, "cutoff_transition_width");
        int dexp = kv.integer(0, "cutoff_dexp");
        double scale = kv.real(1.0, "cutoff_scale");
        double rate = kv.real(1.0, "cutoff_rate");
        int lMax = kv.integer(null, "l_max");
        int nMax = kv.integer(null, "n_max");
        double sigma = kv.real(null, "atom_gaussian_width", "atom_sigma");
        double centralWeight = kv.real(1.0, "central_weight");
        boolean hasCentralRef = kv.has("central_reference_all_species");
        boolean centralRef = kv.logical(false, "central_reference_all_species");
        double sigma0 = kv.real(0.0, "covariance_sigma0");
        boolean normalise = kv.logical(true, "normalise", "normalize");
        double basisError = kv.real(10.0, "basis_error_exponent");
        int nZ = kv.integer(1, "n_z");
        boolean hasNSpecies = kv.has("n_species");
        int nSpecies = kv.integer(1, "n_species");
        boolean hasSpeciesZ = kv.has("species_z");
        int xmlVersion = kv.integer(XML_VERSION_CENTRAL_REFERENCE, "xml_version");
        if (xmlVersion < XML_VERSION_TWO_L_PLUS_ONE) {
            throw new DescriptorStringException("soap: xml_version=" + xmlVersion + " is not supported; models older"
                    + " than GAP version " + XML_VERSION_TWO_L_PLUS_ONE + " lack the (2l+1)^-1/2 normalisation");
        }
        boolean average = kv.logical(false, "average");
        if (average && !allowAverage) {
            throw new DescriptorStringException("soap: average=T (one averaged SOAP per structure) is not supported "
                    + "in fits or models; only 'soapstone describe' computes it");
        }
        kv.requireDefault("diagonal_radial", "F", !kv.logical(false, "diagonal_radial"));
        kv.requireDefault("nu_r", "2", kv.integer(2, "nu_r") == 2);
        kv.requireDefault("nu_s", "2", kv.integer(2, "nu_s") == 2);
        SoapParameters.Compression compression = new SoapParameters.Compression(kv.logical(false, "z_mix"),
                kv.logical(false, "r_mix"), kv.logical(false, "sym_mix"), kv.logical(true, "coupling"),
                kv.integer(0, "k"), kv.integer(0, "mix_shift"));
        kv.requireDefault("z_map", "''", kv.string("", "z_map").isEmpty());
        String radialName = kv.string("", "radial_basis");
        SoapParameters.RadialBasis radialBasis = SoapParameters.RadialBasis.EQUISPACED_GAUSS;
        if (!radialName.isEmpty()) {
            try {
                radialBasis = SoapParameters.RadialBasis.valueOf(radialName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DescriptorStringException("soap: radial_basis=" + radialName + " is not allowed; must be "
                        + "EQUISPACED_GAUSS, GTO or POLY");
            }
        }

        if (nSpecies < 1) {
            throw new DescriptorStringException("soap: n_species=" + nSpecies + " is not allowed; must be ≥ 1");
        }
        if (hasSpeciesZ && !hasNSpecies) {
            throw new DescriptorStringException("soap: species_Z is given without n_species; give both");
        }
        int[] speciesZ;
        if (hasSpeciesZ) {
            speciesZ = kv.integers("species_z");
        } else if (nSpecies == 1) {
            speciesZ = new int[] {0};
        } else {
            throw new DescriptorStringException("soap: n_species=" + nSpecies + " needs species_Z={Z1 Z2 ...}");
        }
        if (speciesZ.length != nSpecies) {
            throw new DescriptorStringException("soap: species_Z has " + speciesZ.length + " values but n_species="
                    + nSpecies);
        }
        if (nZ < 1) {
            throw new DescriptorStringException("soap: n_Z=" + nZ + " is not allowed; must be ≥ 1");
        }
        int[] centreZ;
        if (kv.has("z")) {
            centreZ = kv.integers("z");
        } else if (nZ == 1) {
            centreZ = new int[] {0};
        } else {
            throw new DescriptorStringException("soap: n_Z=" + nZ + " needs Z={Z1 Z2 ...}");
        }
        if (centreZ.length != nZ) {
            throw new DescriptorStringException("soap: Z has " + centreZ.length + " values but n_Z=" + nZ);
        }
        // QUIP's defaults: old models always had the central reference in every channel; otherwise only a
        // single-channel SOAP gets it by default
        if (xmlVersion < XML_VERSION_CENTRAL_REFERENCE) {
            centralRef = true;
        }
        if (!hasCentralRef && nSpecies == 1) {
            centralRef = true;
        }
        return new SoapParameters(new SoapParameters.Cutoff(cutoff, width, dexp, scale, rate),
                new SoapParameters.Density(sigma, centralWeight, centralRef),
                new SoapParameters.Basis(nMax, lMax, basisError, radialBasis),
                new SoapParameters.Species(speciesZ, centreZ),
                new SoapParameters.Spectrum(normalise, sigma0, average, compression));
    }

    private static Distance2bParameters distance2b(KeyValues kv) {
        double cutoff = kv.real(0.0, "cutoff");
        double width = kv.real(0.5, "cutoff_transition_width");
        kv.integer(0, "xml_version"); // QUIP appends the model's GAP version; it does not change distance_2b
        int z1 = kv.integer(0, "z1");
        int z2 = kv.integer(0, "z2");
        kv.requireDefault("resid_name", "''", kv.string("", "resid_name").isEmpty());
        kv.requireDefault("only_intra", "F", !kv.logical(false, "only_intra"));
        kv.requireDefault("only_inter", "F", !kv.logical(false, "only_inter"));
        kv.requireDefault("tail_exponent", "0", kv.integer(0, "tail_exponent") == 0);
        kv.real(1.0, "tail_range");
        int nExp = kv.integer(1, "n_exponents");
        if (nExp < 1) {
            throw new DescriptorStringException("distance_2b: n_exponents=" + nExp + " is not allowed; must be ≥ 1");
        }
        double[] exponents;
        if (kv.has("exponents")) {
            exponents = kv.reals("exponents");
            if (exponents.length != nExp) {
                throw new DescriptorStringException("distance_2b: exponents has " + exponents.length
                        + " values but n_exponents=" + nExp);
            }
        } else {
            exponents = new double[nExp];
            for (int e = 0; e < nExp; e++) {
                exponents[e] = nExp == 1 ? 1 : -(e + 1);
            }
        }
        return new Distance2bParameters(cutoff, width, z1, z2, exponents);
    }

    private static FitParameters fit(KeyValues kv) {
        OptionalDouble delta = kv.has("energy_scale", "delta")
                ? OptionalDouble.of(kv.real(null, "energy_scale", "delta")) : OptionalDouble.empty();
        double f0 = kv.real(0.0, "f0");
        int nSparse = kv.integer(0, "n_sparse");
        String configTypeNSparse = kv.string("", "config_type_n_sparse");
        String method = kv.string("random", "sparse_method");
        SparseMethod sparseMethod;
        try {
            sparseMethod = SparseMethod.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DescriptorStringException("sparse_method=" + method + " is not allowed; must be one of "
                    + "random, pivot, cluster, uniform, kmeans, covariance, fuzzy, file, index_file, "
                    + "cur_covariance, cur_points, none");
        }
        double[] factor = kv.has("lengthscale_factor", "theta_fac")
                ? kv.reals("lengthscale_factor", "theta_fac") : new double[] {1.0};
        OptionalDouble thetaUniform = kv.has("lengthscale_uniform", "theta_uniform")
                ? OptionalDouble.of(kv.real(null, "lengthscale_uniform", "theta_uniform")) : OptionalDouble.empty();
        String thetaFile = kv.string("", "lengthscale_file", "theta_file");
        String sparseFile = kv.string("", "sparse_file");
        boolean mark = kv.logical(false, "mark_sparse_atoms");
        boolean addSpecies = kv.logical(true, "add_species");
        Optional<CovarianceType> covariance = Optional.empty();
        if (kv.has("covariance_type")) {
            String c = kv.string("", "covariance_type");
            covariance = Optional.of(switch (c.toLowerCase(Locale.ROOT)) {
                case "gaussian", "ard_se" -> CovarianceType.ARD_SE;
                case "dot_product" -> CovarianceType.DOT_PRODUCT;
                case "bond_real_space" -> CovarianceType.BOND_REAL_SPACE;
                case "pp" -> CovarianceType.PP;
                default -> throw new DescriptorStringException("covariance_type=" + c + " is not allowed; must be "
                        + "one of gaussian, ard_se, dot_product, bond_real_space, pp");
            });
        }
        OptionalDouble zeta = kv.has("soap_exponent", "zeta")
                ? OptionalDouble.of(kv.real(null, "soap_exponent", "zeta")) : OptionalDouble.empty();
        String printSparseIndex = kv.string("", "print_sparse_index");
        double hashTol = kv.real(1e-10, "unique_hash_tolerance");
        double descTol = kv.real(1e-10, "unique_descriptor_tolerance");
        if (sparseFile.isEmpty() == false && sparseMethod != SparseMethod.FILE
                && sparseMethod != SparseMethod.INDEX_FILE) {
            throw new DescriptorStringException("sparse_file is given but sparse_method=" + method
                    + "; sparse_file needs sparse_method=file or index_file");
        }
        return new FitParameters(delta, f0, nSparse, configTypeNSparse, sparseMethod, factor, thetaUniform, thetaFile,
                sparseFile, mark, addSpecies, covariance, zeta, printSparseIndex, hashTol, descTol);
    }
}
