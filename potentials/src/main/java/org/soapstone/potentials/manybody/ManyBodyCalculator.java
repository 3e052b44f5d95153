package org.soapstone.potentials.manybody;

import java.util.EnumSet;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.neighbour.VerletNeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.pair.WorkerSums;

/**
 * The frame shared by element-triplet potentials evaluated atom by atom over a full neighbour list (Stillinger–
 * Weber, Tersoff): species to element types, a {@link VerletNeighbourList} with a skin, one pass of
 * {@link #compute} over chunks of central atoms on a {@link WorkerPool}, and the deterministic reduction of the
 * per-worker sums (see {@link WorkerSums}).
 *
 * <p>Each calculation gives what is requested of: energy (eV), forces (eV/Å), per-atom energies (eV), and stress
 * (eV/Å³, ASE sign, σ = (1/V) ∂E/∂ε = −W/V from the virial W = Σ r ⊗ f; not for a structure without a cell
 * volume, where it is left uncomputed). Not safe for concurrent use.
 */
public abstract class ManyBodyCalculator implements Calculator {
    private final TripletTable<?> table;
    private final double skin;
    private final WorkerPool pool;
    private final WorkerSums sums;
    private final WorkerPool.Chunk body = this::compute;
    private VerletNeighbourList verlet;
    private long verletMask;

    /** The element type of each atom of the structure being calculated. */
    protected int[] types = new int[0];
    /** The neighbour list of the structure being calculated (pairs out to cutoff + skin; filter by distance). */
    protected NeighbourList list;
    /** Whether per-atom energies are wanted in this calculation. */
    protected boolean perAtom;

    /**
     * @param table the file's entries
     * @param skin the Verlet skin (Å), ≥ 0: the list holds pairs out to cutoff + skin and is rebuilt only when an
     *     atom moved more than half of it
     * @param pool the workers that share the loop over atoms
     */
    protected ManyBodyCalculator(TripletTable<?> table, double skin, WorkerPool pool) {
        if (!(skin >= 0) || Double.isInfinite(skin)) {
            throw new IllegalArgumentException("skin must be finite and ≥ 0 Å, got " + skin);
        }
        this.table = table;
        this.skin = skin;
        this.pool = pool;
        this.sums = new WorkerSums(pool);
    }

    @Override
    public final Set<Property> implementedProperties() {
        return EnumSet.allOf(Property.class);
    }

    /** @return the worker pool this calculator runs on */
    public final WorkerPool pool() {
        return pool;
    }

    /** @return the Verlet skin (Å) */
    public final double skin() {
        return skin;
    }

    /**
     * @return how many times the neighbour list has been built (for the current set of species; a new set of
     *     species starts a new list)
     */
    public final long neighbourListBuilds() {
        return verlet == null ? 0 : verlet.builds();
    }

    @Override
    public final void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        checkRequested(requested);
        int n = structure.size();
        results.reset(n);
        types = table.species().types(structure, types);
        long mask = 0;
        for (int t : types) {
            mask |= 1L << t;
        }
        if (verlet == null || mask != verletMask) {
            table.requireComplete(mask);
            verlet = new VerletNeighbourList(cutoff(mask), skin, true);
            verletMask = mask;
        }
        list = verlet.update(structure, pool);
        perAtom = requested.contains(Property.ENERGIES);
        sums.reset(n);
        pool.forEachChunk(n, body);
        sums.reduce(results, requested, structure.cell().hasVolume() ? structure.volume() : 0);
    }

    /** @return the per-worker sums the {@link #compute} chunks add into */
    protected final WorkerSums sums() {
        return sums;
    }

    /**
     * @param mask the element types present, bit t for type t
     * @return the interaction cutoff (Å), &gt; 0, for a structure with those types
     */
    protected abstract double cutoff(long mask);

    /**
     * Adds the contributions of central atoms {@code [from, to)} (energy, forces, per-atom energies if
     * {@link #perAtom}, strain derivative) into worker {@code worker}'s {@linkplain #sums() sums}, reading
     * {@link #types} and {@link #list}.
     */
    protected abstract void compute(int worker, int from, int to);
}
