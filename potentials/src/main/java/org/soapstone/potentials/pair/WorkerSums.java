package org.soapstone.potentials.pair;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.parallel.WorkerPool;

/**
 * Per-worker partial sums of a potential's energy (eV), per-atom energies (eV), forces (eV/Å) and strain
 * derivative ∂E/∂ε (eV), reduced in worker order so that results are bit-identical for a given thread count.
 *
 * <p>A half-neighbour-list loop adds each pair's contribution to both atoms; each worker writes only its own
 * arrays, so no locking is needed. Arrays are kept between calls and only reallocated when the atom count
 * changes.
 */
public final class WorkerSums {
    private final WorkerPool pool;
    private final int threads;
    private final double[][] forces;
    private final double[][] energies;
    private final double[][] strainDerivative;
    private final double[] energy;
    private final WorkerPool.Chunk reduceChunk = this::reduceChunk;
    private CalculationResults target;

    /** @param pool the pool whose workers fill the sums */
    public WorkerSums(WorkerPool pool) {
        this.pool = pool;
        this.threads = pool.threads();
        this.forces = new double[threads][0];
        this.energies = new double[threads][0];
        this.strainDerivative = new double[threads][6];
        this.energy = new double[threads];
    }

    /** Zeroes every sum, sizing the arrays for {@code atoms} atoms. */
    public void reset(int atoms) {
        for (int w = 0; w < threads; w++) {
            if (energies[w].length != atoms) {
                forces[w] = new double[3 * atoms];
                energies[w] = new double[atoms];
            } else {
                Arrays.fill(forces[w], 0);
                Arrays.fill(energies[w], 0);
            }
            Arrays.fill(strainDerivative[w], 0);
        }
        Arrays.fill(energy, 0);
    }

    /** @return worker {@code w}'s force sums (eV/Å), 3 per atom, to add to */
    public double[] forces(int w) {
        return forces[w];
    }

    /** @return worker {@code w}'s per-atom energy sums (eV), to add to */
    public double[] energies(int w) {
        return energies[w];
    }

    /** Adds {@code e} (eV) to worker {@code w}'s total energy. */
    public void addEnergy(int w, double e) {
        energy[w] += e;
    }

    /**
     * Adds to worker {@code w}'s strain derivative ∂E/∂ε (eV), Voigt order xx, yy, zz, yz, xz, xy; for a pair
     * term E(r) this is Σ (E'(r)/r) d_a d_b over pairs with displacement d.
     */
    public void addStrainDerivative(int w, double xx, double yy, double zz, double yz, double xz, double xy) {
        double[] s = strainDerivative[w];
        s[0] += xx;
        s[1] += yy;
        s[2] += zz;
        s[3] += yz;
        s[4] += xz;
        s[5] += xy;
    }

    /**
     * Sums the workers' contributions in worker order into {@code out} (already reset to the atom count) and
     * marks the requested properties computed, except the stress of a structure without a cell volume (an
     * isolated molecule), which has none and is left unmarked.
     *
     * @param volume the cell volume (Å³), used for the stress σ = (1/V) ∂E/∂ε (eV/Å³); 0 for no cell
     */
    public void reduce(CalculationResults out, Set<Property> requested, double volume) {
        target = out;
        pool.forEachChunk(out.energies.length, reduceChunk);
        target = null;
        double e = 0;
        for (int w = 0; w < threads; w++) {
            e += energy[w];
        }
        out.energy = e;
        boolean stress = requested.contains(Property.STRESS) && volume > 0;
        if (stress) {
            for (int c = 0; c < 6; c++) {
                double s = 0;
                for (int w = 0; w < threads; w++) {
                    s += strainDerivative[w][c];
                }
                out.stress[c] = s / volume;
            }
        }
        if (stress || !requested.contains(Property.STRESS)) {
            out.markComputed(requested);
        } else {
            Set<Property> done = EnumSet.noneOf(Property.class);
            done.addAll(requested);
            done.remove(Property.STRESS);
            out.markComputed(done);
        }
    }

    private void reduceChunk(int worker, int from, int to) {
        double[] f = target.forces;
        double[] e = target.energies;
        for (int w = 0; w < threads; w++) {
            double[] fw = forces[w];
            double[] ew = energies[w];
            for (int i = from; i < to; i++) {
                f[3 * i] += fw[3 * i];
                f[3 * i + 1] += fw[3 * i + 1];
                f[3 * i + 2] += fw[3 * i + 2];
                e[i] += ew[i];
            }
        }
    }
}
