package org.soapstone.engine.calculator;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.soapstone.engine.parallel.WorkerPool;

/**
 * The {@link ForceTally}s of a {@link WorkerPool}'s workers, one each — or of a {@link WorkerPool#forEachShare}
 * loop's shares, one each — summed in index order so that results are bit-identical for a given thread (or share)
 * count. A loop over a half neighbour list adds each term to all of its atoms; each worker (share) writes only its
 * own tally, so nothing is locked. Each tally is made by the thread that first fills it (away from the others in
 * memory: their sums are updated per pair, and a shared cache line would be fought over); the arrays are kept
 * between calls and reallocated only when the atom count changes.
 */
public final class WorkerTallies {
    private final WorkerPool pool;
    private ForceTally[] tallies;
    private final WorkerPool.Chunk reduceChunk = this::reduceChunk;
    private final double[] strain = new double[9];
    private int atoms;
    private CalculationResults target;

    /** @param pool the pool whose workers fill the tallies */
    public WorkerTallies(WorkerPool pool) {
        this.pool = pool;
        this.tallies = new ForceTally[pool.threads()];
    }

    /** Zeroes every tally, for {@code atoms} atoms, before a loop that fills one tally per worker. */
    public void reset(int atoms) {
        reset(atoms, pool.threads());
    }

    /**
     * Zeroes every tally, for {@code atoms} atoms, before a loop that fills tallies {@code [0, slots)}.
     *
     * @param slots the workers, or the shares of a {@link WorkerPool#forEachShare} loop
     */
    public void reset(int atoms, int slots) {
        this.atoms = atoms;
        if (slots > tallies.length) {
            tallies = Arrays.copyOf(tallies, slots);
        }
        for (ForceTally t : tallies) {
            if (t != null) {
                t.reset(atoms);
            }
        }
    }

    /**
     * @param slot the index of the calling worker (as {@link WorkerPool.Chunk} gives it) or share (as
     *     {@link WorkerPool.Share} gives it), below the slots of the last {@link #reset(int, int)}
     * @return its tally, made on first use by the calling thread
     */
    public ForceTally of(int slot) {
        ForceTally t = tallies[slot];
        if (t == null) {
            t = new ForceTally();
            t.reset(atoms);
            tallies[slot] = t;
        }
        return t;
    }

    /**
     * Sums the tallies in index order into {@code out} (already reset to the atom count) and marks the requested
     * properties computed, except the stress of a structure without a cell volume (an isolated molecule), which
     * has none and is left unmarked. The stress is the symmetric part of (1/V) ∂E/∂ε.
     *
     * @param volume the cell volume (Å³); 0 for no cell
     */
    public void reduce(CalculationResults out, Set<Property> requested, double volume) {
        target = out;
        pool.forEachChunk(out.energies.length, reduceChunk);
        target = null;
        double e = 0;
        for (ForceTally t : tallies) {
            if (t != null) {
                e += t.energy();
            }
        }
        out.energy = e;
        strainDerivative(strain);
        boolean stress = requested.contains(Property.STRESS) && volume > 0;
        if (stress) {
            double[] s = out.stress;
            double v = 1 / volume;
            s[0] = v * strain[0];
            s[1] = v * strain[4];
            s[2] = v * strain[8];
            s[3] = v * 0.5 * (strain[5] + strain[7]);
            s[4] = v * 0.5 * (strain[2] + strain[6]);
            s[5] = v * 0.5 * (strain[1] + strain[3]);
        }
        if (stress || !requested.contains(Property.STRESS)) {
            out.markComputed(requested);
        } else {
            Set<Property> done = EnumSet.copyOf(requested);
            done.remove(Property.STRESS);
            out.markComputed(done);
        }
    }

    /**
     * @param out 9 doubles to fill with the strain derivative ∂E/∂ε summed over the tallies in index order (eV,
     *     row-major; the virial is its negative)
     */
    public void strainDerivative(double[] out) {
        Arrays.fill(out, 0, 9, 0);
        for (ForceTally t : tallies) {
            if (t != null) {
                t.addStrainDerivative(out);
            }
        }
    }

    private void reduceChunk(int worker, int from, int to) {
        double[] f = target.forces;
        double[] e = target.energies;
        for (ForceTally t : tallies) {
            if (t == null) {
                continue;
            }
            double[] fw = t.forces();
            double[] ew = t.energies();
            for (int i = from; i < to; i++) {
                f[3 * i] += fw[3 * i];
                f[3 * i + 1] += fw[3 * i + 1];
                f[3 * i + 2] += fw[3 * i + 2];
                e[i] += ew[i];
            }
        }
    }
}
