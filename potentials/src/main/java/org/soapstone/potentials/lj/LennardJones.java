package org.soapstone.potentials.lj;

import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.potentials.pair.PairPotential;
import org.soapstone.potentials.pair.SpeciesTable;

/**
 * The 12-6 Lennard-Jones potential, shifted to zero energy at the cutoff, exactly as LAMMPS
 * {@code pair_style lj/cut} with {@code pair_modify shift yes}:
 * <pre>  φ(r) = 4ε[(σ/r)¹² − (σ/r)⁶] − 4ε[(σ/r_c)¹² − (σ/r_c)⁶]   for r &lt; r_c, else 0</pre>
 * with ε (eV), σ (Å) and r_c (Å) per species pair ({@link LennardJonesParameters}). The force is not shifted, so
 * it jumps at r_c as in LAMMPS.
 */
public final class LennardJones extends PairPotential {
    /** The Verlet skin (Å) used unless one is given. */
    public static final double DEFAULT_SKIN = 0.5;

    private final double[] lj1, lj2, lj3, lj4, offset;

    /** With the {@linkplain #DEFAULT_SKIN default skin} and the {@linkplain WorkerPool#shared() shared pool}. */
    public LennardJones(LennardJonesParameters parameters) {
        this(parameters, DEFAULT_SKIN, WorkerPool.shared());
    }

    /**
     * @param parameters ε (eV), σ (Å), cutoff (Å) for every species pair
     * @param skin the Verlet skin (Å), ≥ 0
     * @param pool the worker threads
     */
    public LennardJones(LennardJonesParameters parameters, double skin, WorkerPool pool) {
        super(new SpeciesTable("the Lennard-Jones parameters", parameters.species()), cutoffs(parameters), skin, pool);
        int n = parameters.species().size();
        lj1 = new double[n * n];
        lj2 = new double[n * n];
        lj3 = new double[n * n];
        lj4 = new double[n * n];
        offset = new double[n * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                LjPair p = parameters.pair(a, b);
                int t = a * n + b;
                double s6 = Math.pow(p.sigma(), 6.0);
                double s12 = Math.pow(p.sigma(), 12.0);
                lj1[t] = 48.0 * p.epsilon() * s12;
                lj2[t] = 24.0 * p.epsilon() * s6;
                lj3[t] = 4.0 * p.epsilon() * s12;
                lj4[t] = 4.0 * p.epsilon() * s6;
                double ratio = p.sigma() / p.cutoff();
                offset[t] = 4.0 * p.epsilon() * (Math.pow(ratio, 12.0) - Math.pow(ratio, 6.0));
            }
        }
    }

    private static double[] cutoffs(LennardJonesParameters parameters) {
        int n = parameters.species().size();
        double[] c = new double[n * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                c[a * n + b] = parameters.pair(a, b).cutoff();
            }
        }
        return c;
    }

    @Override
    protected double pairEnergy(int t, double r, double[] dEdr) {
        double r2inv = 1.0 / (r * r);
        double r6inv = r2inv * r2inv * r2inv;
        dEdr[0] = -r6inv * (lj1[t] * r6inv - lj2[t]) / r;
        return r6inv * (lj3[t] * r6inv - lj4[t]) - offset[t];
    }
}
