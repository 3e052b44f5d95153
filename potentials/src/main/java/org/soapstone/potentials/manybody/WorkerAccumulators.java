package org.soapstone.potentials.manybody;

import java.util.Arrays;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.parallel.WorkerPool;

/**
 * Per-worker partial sums for a many-body potential whose loop over central atoms scatters forces (and per-atom
 * energies) onto neighbours: each worker of a {@link WorkerPool} accumulates into its own arrays, and
 * {@link #reduceInto} adds them up in worker order, so results are bit-identical for a given thread count.
 *
 * <p>Worker 0 writes straight into the caller's {@link CalculationResults}; the other workers' arrays are
 * allocated once per atom count and zeroed as they are reduced, so a calculation allocates nothing. Units follow
 * the results: energy eV, forces eV/Å, virial eV (W = Σ r ⊗ f, LAMMPS's sign: positive when repulsive).
 */
public final class WorkerAccumulators {
    /** Scalars per worker, padded so that workers do not share cache lines: energy, then the virial. */
    private static final int STRIDE = 16;

    private final WorkerPool pool;
    private final int threads;
    private final double[][] forces;
    private final double[][] energies;
    private final double[] scalars;
    private final WorkerPool.Chunk reduceForces = this::reduceForces;
    private final WorkerPool.Chunk reduceEnergies = this::reduceEnergies;
    private boolean dirty;

    /** @param pool the workers that will accumulate */
    public WorkerAccumulators(WorkerPool pool) {
        this.pool = pool;
        this.threads = pool.threads();
        this.forces = new double[threads][];
        this.energies = new double[threads][];
        this.scalars = new double[threads * STRIDE];
    }

    /**
     * Gets the accumulators ready for one calculation into {@code results}, which must already be
     * {@linkplain CalculationResults#reset reset} to {@code atoms} atoms.
     */
    public void prepare(CalculationResults results, int atoms) {
        if (dirty) {
            for (int w = 1; w < threads; w++) {
                Arrays.fill(forces[w], 0);
                Arrays.fill(energies[w], 0);
            }
        }
        dirty = true;
        forces[0] = results.forces;
        energies[0] = results.energies;
        for (int w = 1; w < threads; w++) {
            if (forces[w] == null || forces[w].length != 3 * atoms) {
                forces[w] = new double[3 * atoms];
                energies[w] = new double[atoms];
            }
        }
        Arrays.fill(scalars, 0);
    }

    /** @return worker {@code w}'s force array (eV/Å, 3 per atom) to add into */
    public double[] forces(int w) {
        return forces[w];
    }

    /** @return worker {@code w}'s per-atom energy array (eV) to add into */
    public double[] energies(int w) {
        return energies[w];
    }

    /**
     * Records worker {@code w}'s total energy (eV) and virial W = Σ r ⊗ f (eV, Voigt order xx yy zz yz xz xy) for
     * its chunk of central atoms. Call once per worker per calculation.
     */
    public void store(int w, double energy, double xx, double yy, double zz, double yz, double xz, double xy) {
        int o = w * STRIDE;
        scalars[o] = energy;
        scalars[o + 1] = xx;
        scalars[o + 2] = yy;
        scalars[o + 3] = zz;
        scalars[o + 4] = yz;
        scalars[o + 5] = xz;
        scalars[o + 6] = xy;
    }

    /**
     * Adds up the workers' sums in worker order into {@code results}: energy, forces, per-atom energies if
     * {@code perAtom}, and the stress σ = −W/V (eV/Å³, ASE sign) if {@code volume} &gt; 0.
     */
    public void reduceInto(CalculationResults results, boolean perAtom, double volume) {
        int atoms = results.energies.length;
        if (threads > 1) {
            pool.forEachChunk(atoms, reduceForces);
            if (perAtom) {
                pool.forEachChunk(atoms, reduceEnergies);
            }
        }
        double energy = 0;
        for (int w = 0; w < threads; w++) {
            energy += scalars[w * STRIDE];
        }
        results.energy = energy;
        if (volume > 0) {
            for (int c = 0; c < 6; c++) {
                double sum = 0;
                for (int w = 0; w < threads; w++) {
                    sum += scalars[w * STRIDE + 1 + c];
                }
                results.stress[c] = -sum / volume;
            }
        }
        dirty = false;
    }

    private void reduceForces(int worker, int from, int to) {
        double[] out = forces[0];
        for (int w = 1; w < threads; w++) {
            double[] f = forces[w];
            for (int k = 3 * from; k < 3 * to; k++) {
                out[k] += f[k];
                f[k] = 0;
            }
        }
    }

    private void reduceEnergies(int worker, int from, int to) {
        double[] out = energies[0];
        for (int w = 1; w < threads; w++) {
            double[] e = energies[w];
            for (int a = from; a < to; a++) {
                out[a] += e[a];
                e[a] = 0;
            }
        }
    }
}
