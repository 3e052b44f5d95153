package org.soapstone.potentials.quip;

import java.util.List;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.engine.parallel.WorkerPool;

/**
 * QUIP's classical potentials as gap_fit users name them for a core (baseline) potential: an {@code init_args} string
 * ({@code core_ip_args}) and the parameter XML ({@code core_param_file}):
 * <ul>
 *   <li>{@code IP Glue} — tabulated pair potentials and QUIP's EAM ({@link Glue});</li>
 *   <li>{@code IP ZBL cutoff=… cutoff_width=…} — the ZBL repulsion, from the arguments alone ({@link QuipZbl});</li>
 *   <li>{@code IP SW}, {@code IP Tersoff} — Stillinger–Weber and Tersoff from QUIP's parameter elements
 *       ({@link QuipManyBody});</li>
 *   <li>{@code IP LJ} — Lennard-Jones ({@link QuipLennardJones});</li>
 *   <li>{@code Sum init_args_pot1={…} init_args_pot2={…}} — the sum of two of these.</li>
 * </ul>
 * {@code label=…} picks the parameter element with that label. Anything else is refused by name.
 */
public final class QuipPotentials {
    /** The QUIP potential types supported, as {@code init_args} names them. */
    public static final List<String> TYPES = List.of("IP Glue", "IP ZBL", "IP SW", "IP Tersoff", "IP LJ", "Sum");
    /** The Verlet skin (Å) of the pair and many-body potentials made here. */
    static final double SKIN = 0.5;

    private QuipPotentials() {}

    /**
     * @param initArgs QUIP's potential arguments, e.g. {@code IP Glue} or {@code IP ZBL cutoff=2.5 cutoff_width=0.5}
     * @param parameterXml the parameter file's text ("" if there is none, as for ZBL)
     * @param source where the parameters come from, for messages
     * @param pool the workers
     * @return the potential
     * @throws IllegalArgumentException naming what is unsupported or malformed
     */
    public static Calculator create(String initArgs, String parameterXml, String source, WorkerPool pool) {
        QuipArguments args = QuipArguments.parse(initArgs);
        if (args.has("Sum")) {
            String a = args.value("init_args_pot1", null);
            String b = args.value("init_args_pot2", null);
            if (a == null || b == null) {
                throw new IllegalArgumentException("'" + initArgs + "': Sum needs init_args_pot1={…} and "
                        + "init_args_pot2={…}");
            }
            return new SumCalculator(List.of(create(a, parameterXml, source, pool),
                    create(b, parameterXml, source, pool)));
        }
        if (!args.has("IP")) {
            throw new IllegalArgumentException("'" + initArgs + "': only QUIP interatomic potentials (IP …) and their "
                    + "Sum are supported as a core potential; supported: " + TYPES);
        }
        String label = args.value("label", "");
        if (args.has("ZBL")) {
            return new QuipZbl(args, SKIN, pool);
        }
        QuipParameters p = QuipParameters.parse(source, parameterXml);
        if (args.has("Glue")) {
            return Glue.of(p, label);
        }
        if (args.has("SW")) {
            return QuipManyBody.stillingerWeber(p, label, SKIN, pool);
        }
        if (args.has("Tersoff")) {
            return QuipManyBody.tersoff(p, label, SKIN, pool);
        }
        if (args.has("LJ")) {
            return QuipLennardJones.of(p, label, SKIN, pool);
        }
        throw new IllegalArgumentException("'" + initArgs + "': unsupported QUIP potential; supported: " + TYPES);
    }
}
