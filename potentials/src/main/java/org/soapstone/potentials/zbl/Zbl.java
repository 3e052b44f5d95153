package org.soapstone.potentials.zbl;

import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.potentials.pair.PairPotential;
import org.soapstone.potentials.pair.SpeciesTable;

/**
 * The universal ZBL screened nuclear repulsion (Ziegler, Biersack, Littmark, <i>The Stopping and Range of Ions in
 * Solids</i>, 1985) exactly as LAMMPS {@code pair_style zbl inner outer}, for every element, Z from the atoms:
 * <pre>  φ(r) = (Z_i Z_j e²/4πε₀ r) Σ_k c_k exp(−d_k r / a),   a = 0.46850 Å / (Z_i^0.23 + Z_j^0.23)</pre>
 * plus S(r) = C for r ≤ inner and S(r) = A/3 t³ + B/4 t⁴ + C, t = r − inner, for inner &lt; r &lt; outer, with A,
 * B, C chosen so that φ + S, its first and second derivatives vanish at r = outer. e²/4πε₀ = 14.399645 eV·Å,
 * LAMMPS's {@code qqr2e} for {@code units metal}.
 */
public final class Zbl extends PairPotential {
    /** The Verlet skin (Å) used unless one is given. */
    public static final double DEFAULT_SKIN = 0.5;
    /** e²/(4πε₀) in eV·Å as LAMMPS {@code units metal} defines it ({@code qqr2e}). */
    public static final double COULOMB = 14.399645;
    private static final int MAX_Z = 118;
    private static final double PZBL = 0.23;
    private static final double A0 = 0.46850;
    private static final double[] C = {0.02817, 0.28022, 0.50986, 0.18175};
    private static final double[] D = {0.20162, 0.40290, 0.94229, 3.19980};

    private final double inner;
    private final double innerSquared;
    /** Per pair type: d_k/a (4 values), then Z_i Z_j e²/4πε₀, A, B, A/3, B/4, C. */
    private final double[] coefficients;
    private static final int STRIDE = 10;

    /** With the {@linkplain #DEFAULT_SKIN default skin} and the {@linkplain WorkerPool#shared() shared pool}. */
    public Zbl(ZblParameters parameters) {
        this(parameters, DEFAULT_SKIN, WorkerPool.shared());
    }

    /**
     * @param parameters the switching radii (Å)
     * @param skin the Verlet skin (Å), ≥ 0
     * @param pool the worker threads
     */
    public Zbl(ZblParameters parameters, double skin, WorkerPool pool) {
        super(SpeciesTable.allElements("ZBL"), filled(MAX_Z * MAX_Z, parameters.outer()), skin, pool);
        this.inner = parameters.inner();
        this.innerSquared = inner * inner;
        this.coefficients = new double[MAX_Z * MAX_Z * STRIDE];
        double outer = parameters.outer();
        double tc = outer - inner;
        for (int a = 1; a <= MAX_Z; a++) {
            for (int b = 1; b <= MAX_Z; b++) {
                int o = ((a - 1) * MAX_Z + (b - 1)) * STRIDE;
                double ainv = (Math.pow(a, PZBL) + Math.pow(b, PZBL)) / A0;
                for (int k = 0; k < 4; k++) {
                    coefficients[o + k] = D[k] * ainv;
                }
                coefficients[o + 4] = a * b * COULOMB;
                double[] fc = derivatives(o, outer);
                double swa = (-3.0 * fc[1] + tc * fc[2]) / (tc * tc);
                double swb = (2.0 * fc[1] - tc * fc[2]) / (tc * tc * tc);
                coefficients[o + 5] = swa;
                coefficients[o + 6] = swb;
                coefficients[o + 7] = swa / 3.0;
                coefficients[o + 8] = swb / 4.0;
                coefficients[o + 9] = -fc[0] + (tc / 2.0) * fc[1] - (tc * tc / 12.0) * fc[2];
            }
        }
    }

    private static double[] filled(int n, double value) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    /** @return the unswitched ZBL φ, φ', φ'' at r for the pair at offset o (eV, eV/Å, eV/Å²) */
    private double[] derivatives(int o, double r) {
        double s = 0, sp = 0, spp = 0;
        for (int k = 0; k < 4; k++) {
            double d = coefficients[o + k];
            double e = C[k] * Math.exp(-d * r);
            s += e;
            sp -= d * e;
            spp += d * d * e;
        }
        double z = coefficients[o + 4];
        double rinv = 1.0 / r;
        return new double[] {
            z * s * rinv,
            z * (sp - s * rinv) * rinv,
            z * (spp - 2.0 * sp * rinv + 2.0 * s * rinv * rinv) * rinv
        };
    }

    @Override
    protected double pairEnergy(int t, double r, double[] dEdr) {
        int o = t * STRIDE;
        double d1 = coefficients[o], d2 = coefficients[o + 1], d3 = coefficients[o + 2], d4 = coefficients[o + 3];
        double e1 = Math.exp(-d1 * r), e2 = Math.exp(-d2 * r), e3 = Math.exp(-d3 * r), e4 = Math.exp(-d4 * r);
        double sum = C[0] * e1 + C[1] * e2 + C[2] * e3 + C[3] * e4;
        double sumP = -C[0] * d1 * e1 - C[1] * d2 * e2 - C[2] * d3 * e3 - C[3] * d4 * e4;
        double z = coefficients[o + 4];
        double rinv = 1.0 / r;
        double energy = z * sum * rinv + coefficients[o + 9];
        double derivative = z * (sumP - sum * rinv) * rinv;
        if (r * r > innerSquared) {
            double x = r - inner;
            derivative += x * x * (coefficients[o + 5] + coefficients[o + 6] * x);
            energy += x * x * x * (coefficients[o + 7] + coefficients[o + 8] * x);
        }
        dEdr[0] = derivative;
        return energy;
    }
}
