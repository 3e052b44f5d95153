package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every key of gap_fit's command line ({@code param_register} calls in {@code gap_fit_parse_command_line}, GAP's
 * {@code gap_fit_module.f95}) with its alternative spelling ({@code altkey}). Keys are case-insensitive, as in
 * QUIP's dictionary.
 */
enum GapFitKey {
    CONFIG_FILE("config_file", null),
    AT_FILE("atoms_filename", "at_file"),
    GAP("gap", null),
    E0("e0", null),
    LOCAL_PROPERTY0("local_property0", null),
    E0_OFFSET("e0_offset", null),
    E0_METHOD("e0_method", null),
    DEFAULT_SIGMA("default_kernel_regularisation", "default_sigma"),
    DEFAULT_LOCAL_PROPERTY_SIGMA("default_kernel_regularisation_local_property", "default_local_property_sigma"),
    SPARSE_JITTER("sparse_jitter", null),
    HESSIAN_DISPLACEMENT("hessian_displacement", "hessian_delta"),
    BASELINE_PARAM_FILENAME("baseline_param_filename", "core_param_file"),
    BASELINE_IP_ARGS("baseline_ip_args", "core_ip_args"),
    ENERGY_PARAMETER_NAME("energy_parameter_name", null),
    LOCAL_PROPERTY_PARAMETER_NAME("local_property_parameter_name", null),
    FORCE_PARAMETER_NAME("force_parameter_name", null),
    VIRIAL_PARAMETER_NAME("virial_parameter_name", null),
    STRESS_PARAMETER_NAME("stress_parameter_name", null),
    HESSIAN_PARAMETER_NAME("hessian_parameter_name", null),
    CONFIG_TYPE_PARAMETER_NAME("config_type_parameter_name", null),
    SIGMA_PARAMETER_NAME("kernel_regularisation_parameter_name", "sigma_parameter_name"),
    FORCE_MASK_PARAMETER_NAME("force_mask_parameter_name", null),
    LOCAL_PROPERTY_MASK_PARAMETER_NAME("local_property_mask_parameter_name", null),
    PARAMETER_NAME_PREFIX("parameter_name_prefix", null),
    CONFIG_TYPE_SIGMA("config_type_kernel_regularisation", "config_type_sigma"),
    SIGMA_PER_ATOM("kernel_regularisation_is_per_atom", "sigma_per_atom"),
    DO_COPY_AT_FILE("do_copy_atoms_file", "do_copy_at_file"),
    SPARSE_SEPARATE_FILE("sparse_separate_file", null),
    SPARSE_USE_ACTUAL_GPCOV("sparse_use_actual_gpcov", null),
    GAP_FILE("gap_file", "gp_file"),
    VERBOSITY("verbosity", null),
    RND_SEED("rnd_seed", null),
    OPENMP_CHUNK_SIZE("openmp_chunk_size", null),
    DO_IP_TIMING("do_ip_timing", null),
    TEMPLATE_FILE("template_file", null),
    SPARSIFY_ONLY_NO_FIT("sparsify_only_no_fit", null),
    DRYRUN("dryrun", null),
    CONDITION_NUMBER_NORM("condition_number_norm", null),
    LINEAR_SYSTEM_DUMP_FILE("linear_system_dump_file", null),
    MPI_BLOCKSIZE_ROWS("mpi_blocksize_rows", null),
    MPI_BLOCKSIZE_COLS("mpi_blocksize_cols", null),
    MPI_PRINT_ALL("mpi_print_all", null),
    EXPORT_COVARIANCE("export_covariance", null);

    private final String key;
    private final String altKey;

    GapFitKey(String key, String altKey) {
        this.key = key;
        this.altKey = altKey;
    }

    /** @return gap_fit's main spelling */
    String key() {
        return key;
    }

    /** @return gap_fit's alternative spelling, or null */
    String altKey() {
        return altKey;
    }

    /** @return the key as gap_fit's help lists it, e.g. {@code atoms_filename (at_file)} */
    String describe() {
        return altKey == null ? key : key + " (" + altKey + ")";
    }

    /** @return the key with this spelling (case-insensitive), or null */
    static GapFitKey of(String spelling) {
        String s = spelling.toLowerCase(Locale.ROOT);
        for (GapFitKey k : values()) {
            if (k.key.equals(s) || s.equals(k.altKey)) {
                return k;
            }
        }
        return null;
    }

    /** @return every key's spellings (gap_fit's name and its alternative, if any) */
    static List<String> spellings() {
        List<String> names = new ArrayList<>();
        for (GapFitKey k : values()) {
            names.add(k.key);
            if (k.altKey != null) {
                names.add(k.altKey);
            }
        }
        return names;
    }
}
