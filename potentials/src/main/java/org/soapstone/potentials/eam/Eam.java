package org.soapstone.potentials.eam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
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
import org.soapstone.potentials.pair.SpeciesTable;

/**
 * The embedded-atom method (Daw &amp; Baskes, PRB 29, 6443 (1984)) evaluated exactly as LAMMPS
 * {@code pair_style eam}, {@code eam/alloy} and {@code eam/fs}:
 * <pre>  E = Σ_i F_i(ρ_i) + Σ_{i&lt;j} φ_ij(r_ij),   ρ_i = Σ_j ρ_{ij}(r_ij)</pre>
 * with F, ρ and r·φ from {@link EamTables} interpolated by LAMMPS's cubic splines; beyond the last tabulated
 * density F continues linearly (as LAMMPS does). Units: eV, Å. Per-atom energies are F_i plus half of each pair
 * term, as LAMMPS's {@code compute pe/atom}. Two passes over a half neighbour list: densities, then forces.
 */
public final class Eam implements Calculator {
    /** The Verlet skin (Å) used unless one is given. */
    public static final double DEFAULT_SKIN = 0.5;
    private static final Set<Property> IMPLEMENTED = EnumSet.allOf(Property.class);
    private static final int S = EamTables.STRIDE;

    private final EamTables tables;
    private final SpeciesTable species;
    private final VerletNeighbourList neighbours;
    private final WorkerPool pool;
    private final WorkerTallies tallies;
    private final double[][] partialDensity;
    private final double rdr, rdrho, cutoffSquared;
    private final WorkerPool.Chunk densityChunk = this::densityChunk;
    private final WorkerPool.Chunk embeddingChunk = this::embeddingChunk;
    private final WorkerPool.Chunk forceChunk = this::forceChunk;
    private int[] types = new int[0];
    private double[] embeddingDerivative = new double[0];
    private NeighbourList list;

    /** With the {@linkplain #DEFAULT_SKIN default skin} and the {@linkplain WorkerPool#shared() shared pool}. */
    public Eam(EamTables tables) {
        this(tables, DEFAULT_SKIN, WorkerPool.shared());
    }

    /**
     * @param tables the EAM functions
     * @param skin the Verlet skin (Å), ≥ 0
     * @param pool the worker threads
     */
    public Eam(EamTables tables, double skin, WorkerPool pool) {
        this.tables = tables;
        this.species = new SpeciesTable(tables.source, tables.species);
        this.neighbours = new VerletNeighbourList(tables.cutoff, skin, false);
        this.pool = pool;
        this.tallies = new WorkerTallies(pool);
        this.partialDensity = new double[pool.threads()][0];
        this.rdr = 1.0 / tables.dr;
        this.rdrho = 1.0 / tables.drho;
        this.cutoffSquared = tables.cutoff * tables.cutoff;
    }

    /**
     * @param files LAMMPS {@code pair_style eam} funcfl files, one per element
     * @return an EAM calculator for them, with the default skin and the shared pool
     * @throws IOException if a file cannot be read
     */
    public static Eam funcfl(List<Path> files) throws IOException {
        return new Eam(EamTables.funcfl(files));
    }

    /**
     * @param file a LAMMPS {@code pair_style eam/alloy} setfl file
     * @return an EAM calculator for it, with the default skin and the shared pool
     * @throws IOException if the file cannot be read
     */
    public static Eam setfl(Path file) throws IOException {
        return new Eam(EamTables.setfl(file));
    }

    /** @return the tables */
    public EamTables tables() {
        return tables;
    }

    @Override
    public Set<Property> implementedProperties() {
        return IMPLEMENTED;
    }

    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        checkRequested(requested);
        int n = structure.size();
        results.reset(n);
        types = species.types(structure, types);
        list = neighbours.update(structure);
        tallies.reset(n);
        for (int w = 0; w < partialDensity.length; w++) {
            if (partialDensity[w].length != n) {
                partialDensity[w] = new double[n];
            } else {
                Arrays.fill(partialDensity[w], 0);
            }
        }
        if (embeddingDerivative.length != n) {
            embeddingDerivative = new double[n];
        }
        pool.forEachChunk(n, densityChunk);
        pool.forEachChunk(n, embeddingChunk);
        pool.forEachChunk(n, forceChunk);
        list = null;
        tallies.reduce(results, requested, structure.cell().hasVolume() ? structure.volume() : 0);
    }

    private void densityChunk(int w, int from, int to) {
        NeighbourList nl = list;
        int[] t = types;
        int ns = species.size();
        int nr = tables.nr;
        double[] rho = partialDensity[w];
        int[] densityIndex = tables.densityIndex;
        double[][] densities = tables.densities;
        for (int i = from; i < to; i++) {
            int ti = t[i];
            double rhoI = 0;
            for (int q = nl.first[i]; q < nl.first[i + 1]; q++) {
                double r = nl.distance[q];
                if (r * r >= cutoffSquared) {
                    continue;
                }
                int j = nl.neighbour[q];
                int tj = t[j];
                double p = r * rdr + 1.0;
                int m = Math.min((int) p, nr - 1);
                p = Math.min(p - m, 1.0);
                double[] c = densities[densityIndex[ti * ns + tj]];
                int o = m * S;
                rhoI += ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
                c = densities[densityIndex[tj * ns + ti]];
                rho[j] += ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
            }
            rho[i] += rhoI;
        }
    }

    private void embeddingChunk(int w, int from, int to) {
        int[] t = types;
        int nrho = tables.nrho;
        double rhomax = tables.rhomax;
        ForceTally tally = tallies.of(w);
        for (int i = from; i < to; i++) {
            double rho = 0;
            for (double[] partial : partialDensity) {
                rho += partial[i];
            }
            double p = rho * rdrho + 1.0;
            int m = Math.max(1, Math.min((int) p, nrho - 1));
            p = Math.min(p - m, 1.0);
            double[] c = tables.embedding[t[i]];
            int o = m * S;
            double fp = (c[o] * p + c[o + 1]) * p + c[o + 2];
            double f = ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
            if (rho > rhomax) {
                f += fp * (rho - rhomax);
            }
            embeddingDerivative[i] = fp;
            tally.energy(i, f);
        }
    }

    private void forceChunk(int w, int from, int to) {
        NeighbourList nl = list;
        int[] t = types;
        int ns = species.size();
        int nr = tables.nr;
        double[] fp = embeddingDerivative;
        ForceTally tally = tallies.of(w);
        int[] densityIndex = tables.densityIndex;
        int[] pairIndex = tables.pairIndex;
        double[][] densities = tables.densities;
        double[][] pairs = tables.pairs;
        for (int i = from; i < to; i++) {
            int ti = t[i];
            int begin = nl.first[i];
            int end = nl.first[i + 1];
            ForceTally.PairRow row = tally.pairRow(end - begin);
            for (int q = begin; q < end; q++) {
                double r = nl.distance[q];
                if (r * r >= cutoffSquared) {
                    continue;
                }
                int j = nl.neighbour[q];
                int tj = t[j];
                double p = r * rdr + 1.0;
                int m = Math.min((int) p, nr - 1);
                p = Math.min(p - m, 1.0);
                int o = m * S;
                double[] c = densities[densityIndex[tj * ns + ti]];
                double rhoip = (c[o] * p + c[o + 1]) * p + c[o + 2];
                c = densities[densityIndex[ti * ns + tj]];
                double rhojp = (c[o] * p + c[o + 1]) * p + c[o + 2];
                c = pairs[pairIndex[ti * ns + tj]];
                double z2p = (c[o] * p + c[o + 1]) * p + c[o + 2];
                double z2 = ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
                double recip = 1.0 / r;
                double phi = z2 * recip;
                double phip = z2p * recip - phi * recip;
                row.add(q, (fp[i] * rhojp + fp[j] * rhoip + phip) * recip, phi);
            }
            tally.pairs(i, nl, row);
        }
    }
}
