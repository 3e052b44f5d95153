package org.soapstone.engine.baseline;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A physical prior under a GAP model (gap_fit's core potential, {@code core_param_file} + {@code core_ip_args}): a
 * classical potential whose energies, forces and virials are subtracted from the training labels before the fit and
 * added back to every prediction. A model holds it as data — what it is and every parameter it needs, so the model
 * file is complete on its own — and the code that evaluates it is found at run time ({@link Baselines}): the
 * engine does not depend on the potentials that implement it.
 */
public sealed interface Baseline permits Baseline.QuipCore, Baseline.Potential {

    /** @return a one-line description for messages and logs */
    String describe();

    /**
     * gap_fit's form: QUIP's potential arguments and the text of its parameter file, as gap_fit copies both into the
     * model ({@code <Potential init_args="Sum init_args_pot1={…} …"/>} and the file's elements).
     *
     * @param initArgs {@code core_ip_args}, e.g. {@code IP Glue} or {@code IP ZBL cutoff=2.5 cutoff_width=0.5}
     * @param parameters the XML text of {@code core_param_file} ("" if the potential reads none)
     */
    record QuipCore(String initArgs, String parameters) implements Baseline {
        /** Validates. */
        public QuipCore {
            Objects.requireNonNull(initArgs, "initArgs");
            Objects.requireNonNull(parameters, "parameters");
            if (initArgs.isBlank()) {
                throw new IllegalArgumentException("a QUIP core potential needs its init_args (core_ip_args)");
            }
            initArgs = initArgs.strip();
        }

        @Override
        public String describe() {
            return "QUIP core potential '" + initArgs + "'";
        }
    }

    /**
     * Soapstone's form: a potential spec as {@code --potential} and {@code --baseline} take it (e.g.
     * {@code zbl:inner=1.0,outer=2.0}, {@code sw:Si.sw}) with the text of every file it names, so that the model
     * does not depend on files beside it.
     *
     * @param spec the spec, its file arguments as the file names in {@code files}
     * @param files file name → text, for the files the spec names (empty for a spec that names none)
     */
    record Potential(String spec, Map<String, String> files) implements Baseline {
        /** Validates and copies. */
        public Potential {
            Objects.requireNonNull(spec, "spec");
            if (spec.isBlank()) {
                throw new IllegalArgumentException("a baseline potential spec must not be empty");
            }
            files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        }

        @Override
        public String describe() {
            return "baseline potential '" + spec + "'";
        }
    }
}
