package org.soapstone.potentials.manybody;

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
 * The frame shared by element-triplet potentials evaluated atom by atom over a full neighbour list (Stillinger–
 * Weber, Tersoff): species to element types, a {@link VerletNeighbourList} with a skin, one pass of
 * {@link #interact} per central atom over its {@link Neighbourhood}, the atoms shared in chunks among the workers
 * of a {@link WorkerPool}, and the deterministic reduction of the per-worker sums (see {@link WorkerTallies}).
 *
 * <p>Each calculation gives what is requested of: energy (eV), forces (eV/Å), per-atom energies (eV), and stress
 * (eV/Å³, ASE sign, σ = (1/V) ∂E/∂ε = −W/V from the virial W = Σ r ⊗ f; not for a structure without a cell
 * volume, where it is left uncomputed). Not safe for concurrent use.
 */
public abstract class ManyBodyCalculator<N extends Neighbourhood> implements Calculator {
    /** The default Verlet skin (Å), as LAMMPS's {@code neighbor 1.0 bin}. */
    public static final double DEFAULT_SKIN = 1.0;

    private final TripletTable<?> table;
    private final double skin;
    private final WorkerPool pool;
    private final WorkerTallies tallies;
    private final WorkerPool.Chunk body = this::compute;
    private final Neighbourhood[] scratch;
    private VerletNeighbourList verlet;
    private long verletMask;

    /** The number of element types of the file. */
    protected final int nt;
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
        this.tallies = new WorkerTallies(pool);
        this.nt = table.types();
        this.scratch = new Neighbourhood[pool.threads()];
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
        tallies.reset(n);
        pool.forEachChunk(n, body);
        tallies.reduce(results, requested, structure.cell().hasVolume() ? structure.volume() : 0);
    }

    /**
     * @param mask the element types present, bit t for type t
     * @return the interaction cutoff (Å), &gt; 0, for a structure with those types
     */
    protected abstract double cutoff(long mask);

    /**
     * @param capacity how many neighbours it must hold
     * @return a new, empty neighbourhood of this potential's kind
     */
    protected abstract N neighbourhood(int capacity);

    /**
     * @param type an element type
     * @return the largest distance (Å) at which a central atom of that type interacts with any neighbour
     */
    protected abstract double reach(int type);

    /**
     * @param pair the ordered type pair (t_i · {@link #nt} + t_j)
     * @param r the distance (Å), less than {@link #reach} of t_i
     * @return whether the neighbour takes part in the central atom's terms (all do, unless overridden)
     */
    protected boolean inRange(int pair, double r) {
        return true;
    }

    /**
     * Evaluates the terms of one central atom over its neighbourhood: adds the force on each neighbour into
     * {@code s.fx/fy/fz} (eV/Å) and, when {@link #perAtom}, the neighbours' per-atom energy shares into {@code s.e}
     * and the central atom's into {@code s.own} (eV).
     *
     * @param ti the central atom's element type
     * @param s the neighbours in range, forces and shares zeroed
     * @return the energy (eV) of the central atom's terms
     */
    protected abstract double interact(int ti, N s);

    /**
     * Adds the contributions of central atoms {@code [from, to)} (energy, forces, per-atom energies if
     * {@link #perAtom}, strain derivative) into worker {@code worker}'s sums.
     */
    private void compute(int worker, int from, int to) {
        ForceTally tally = tallies.of(worker);
        boolean perAtom = this.perAtom;
        int[] type = types;
        int[] first = list.first;
        int[] neighbour = list.neighbour;
        double[] vector = list.vector;
        double[] distance = list.distance;
        N s = scratch(worker, 32);
        for (int i = from; i < to; i++) {
            int begin = first[i];
            int end = first[i + 1];
            if (end - begin > s.capacity) {
                s = scratch(worker, 2 * (end - begin));
            }
            int[] atom = s.atom;
            int[] tt = s.type;
            double[] dx = s.dx, dy = s.dy, dz = s.dz, ux = s.ux, uy = s.uy, uz = s.uz, rr = s.r, inv = s.inv;
            double[] fx = s.fx, fy = s.fy, fz = s.fz, e = s.e;
            int ti = type[i];
            int rowPair = ti * nt;
            double cut = reach(ti);
            int count = 0;
            for (int pp = begin; pp < end; pp++) {
                double r = distance[pp];
                if (!(r < cut)) {
                    continue;
                }
                int j = neighbour[pp];
                int tj = type[j];
                if (!inRange(rowPair + tj, r)) {
                    continue;
                }
                double ir = 1.0 / r;
                double x = vector[3 * pp], y = vector[3 * pp + 1], z = vector[3 * pp + 2];
                atom[count] = j;
                tt[count] = tj;
                dx[count] = x;
                dy[count] = y;
                dz[count] = z;
                ux[count] = x * ir;
                uy[count] = y * ir;
                uz[count] = z * ir;
                rr[count] = r;
                inv[count] = ir;
                fx[count] = 0;
                fy[count] = 0;
                fz[count] = 0;
                e[count] = 0;
                count++;
            }
            s.count = count;
            s.own = 0;
            tally.energy(interact(ti, s));
            tally.neighbourForces(i, count, atom, dx, dy, dz, fx, fy, fz);
            if (perAtom) {
                for (int a = 0; a < count; a++) {
                    tally.atomEnergy(atom[a], e[a]);
                }
                tally.atomEnergy(i, s.own);
            }
        }
    }

    /**
     * @return worker {@code worker}'s neighbourhood, replaced by a new one (allocated by the worker's own thread, away
     *     from the other workers' scratch: no false sharing) when it has none or one smaller than {@code capacity}
     */
    @SuppressWarnings("unchecked")
    private N scratch(int worker, int capacity) {
        Neighbourhood s = scratch[worker];
        if (s == null || s.capacity < capacity) {
            s = neighbourhood(capacity);
            s.pad();
            scratch[worker] = s;
        }
        return (N) s;
    }
}
