package org.soapstone.potentials.pair;

import java.util.EnumSet;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.ForceTally;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.calculator.WorkerTallies;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.neighbour.VerletNeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;

/**
 * A sum of pair energies E = Σ_{i&lt;j} φ_{s_i s_j}(r_ij) over a half neighbour list, with forces, stress
 * σ = (1/V) Σ φ'(r) d dᵀ / r (ASE sign, Voigt order) and per-atom energies φ/2 to each atom of a pair (as LAMMPS
 * tallies them). Subclasses give φ and φ' per species pair; this class does the neighbour list (Verlet skin),
 * the threads ({@link WorkerPool}, one contiguous chunk of atoms per worker) and the deterministic reduction.
 */
public abstract class PairPotential implements Calculator {
    private static final Set<Property> IMPLEMENTED = EnumSet.allOf(Property.class);
    /** Per-worker scratch length (doubles): 128 bytes, so two workers' scratch never share a cache line. */
    private static final int SCRATCH_PADDING = 16;

    private final SpeciesTable species;
    private final double[] cutoffSquared;
    private final VerletNeighbourList neighbours;
    private final WorkerPool pool;
    private final WorkerTallies tallies;
    private final double[][] derivative;
    private final WorkerPool.Chunk pairChunk = this::pairChunk;
    private int[] types = new int[0];
    private NeighbourList list;

    /**
     * @param species the species the potential describes; pair type of species a, b is a·n + b
     * @param cutoffs the cutoff (Å) of every pair type, n×n row-major, symmetric, each &gt; 0
     * @param skin the Verlet skin (Å), ≥ 0
     * @param pool the worker threads
     */
    protected PairPotential(SpeciesTable species, double[] cutoffs, double skin, WorkerPool pool) {
        int n = species.size();
        if (cutoffs.length != n * n) {
            throw new IllegalArgumentException("need " + n * n + " pair cutoffs, got " + cutoffs.length);
        }
        this.species = species;
        this.cutoffSquared = new double[n * n];
        double max = 0;
        for (int k = 0; k < cutoffs.length; k++) {
            cutoffSquared[k] = cutoffs[k] * cutoffs[k];
            max = Math.max(max, cutoffs[k]);
        }
        this.neighbours = new VerletNeighbourList(max, skin, false);
        this.pool = pool;
        this.tallies = new WorkerTallies(pool);
        this.derivative = new double[pool.threads()][SCRATCH_PADDING];
    }

    /**
     * The pair energy and its derivative.
     *
     * @param pairType a·n + b for species indices a, b
     * @param r the distance (Å), below the pair's cutoff
     * @param dEdr where dφ/dr (eV/Å) is written, at index 0
     * @return φ(r) (eV)
     */
    protected abstract double pairEnergy(int pairType, double r, double[] dEdr);

    /** @return the species this potential describes */
    public final SpeciesTable species() {
        return species;
    }

    @Override
    public final Set<Property> implementedProperties() {
        return IMPLEMENTED;
    }

    @Override
    public final void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        checkRequested(requested);
        int n = structure.size();
        results.reset(n);
        types = species.types(structure, types);
        list = neighbours.update(structure);
        tallies.reset(n);
        pool.forEachChunk(n, pairChunk);
        list = null;
        tallies.reduce(results, requested, structure.cell().hasVolume() ? structure.volume() : 0);
    }

    private void pairChunk(int w, int from, int to) {
        NeighbourList nl = list;
        int[] t = types;
        int ns = species.size();
        ForceTally tally = tallies.of(w);
        double[] dEdr = derivative[w];
        int[] first = nl.first;
        int[] neighbour = nl.neighbour;
        double[] distance = nl.distance;
        for (int i = from; i < to; i++) {
            int rowType = t[i] * ns;
            int begin = first[i];
            int end = first[i + 1];
            ForceTally.PairRow row = tally.pairRow(end - begin);
            for (int p = begin; p < end; p++) {
                int type = rowType + t[neighbour[p]];
                double r = distance[p];
                if (r * r >= cutoffSquared[type]) {
                    continue;
                }
                double phi = pairEnergy(type, r, dEdr);
                row.add(p, dEdr[0] / r, phi);
            }
            tally.pairs(i, nl, row);
        }
    }
}
