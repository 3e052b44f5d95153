package org.soapstone.potentials.tersoff;

import java.nio.file.Path;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.potentials.manybody.ManyBodyCalculator;
import org.soapstone.potentials.manybody.TripletTable;
import org.soapstone.potentials.manybody.Neighbourhood;

/**
 * The Tersoff potential (Tersoff, Phys. Rev. B 37, 6991 (1988); multi-component form Phys. Rev. B 39, 5566
 * (1989)) as LAMMPS's {@code pair_style tersoff} computes it, from a LAMMPS {@code .tersoff} file:
 * <pre>  E = Σ_i Σ_{j≠i} ½ [f_C(r_ij) A e^{−λ₁ r_ij} − b_ij f_C(r_ij) B e^{−λ₂ r_ij}]</pre>
 * with the terms and conventions of {@link TersoffParameters}: the bond i→j uses the (i, j, j) entry, each
 * neighbour k's share of ζ_ij the (i, j, k) entry, m ∈ {1, 3}, LAMMPS's clamp of exp((λ₃Δr)^m) for arguments
 * beyond ±69.0776, and LAMMPS's asymptotic forms of b_ij. Units: energy eV, forces eV/Å, stress eV/Å³ (ASE
 * sign), per-atom energies eV split as LAMMPS's {@code compute pe/atom} does: half of each repulsive pair term to
 * each atom, and a quarter of each bond's ½ b_ij f_A to each of i and j.
 *
 * <p>One pass over a full Verlet neighbour list per call; the loop over central atoms is shared among the workers
 * of a {@link WorkerPool}, deterministic for a given thread count, and allocates nothing once warm.
 */
public final class Tersoff extends ManyBodyCalculator<Tersoff.Scratch> {
    private static final double HALF_PI = 0.5 * Math.PI;
    private static final double QUARTER_PI = 0.25 * Math.PI;
    /** LAMMPS's bound on the argument of exp in ζ: beyond it the exponential is taken as 1e30 or 0. */
    private static final double EXP_LIMIT = 69.0776;

    // Per ordered type pair (i, j), from the (i, j, j) entry: the bond.
    private final double[] pairCut;
    private final double[] pairR;
    private final double[] pairD;
    private final double[] lambda1;
    private final double[] bigA;
    private final double[] lambda2;
    private final double[] bigB;
    private final double[] beta;
    private final double[] n;
    private final double[] c1;
    private final double[] c2;
    private final double[] c3;
    private final double[] c4;
    // Per ordered type triplet (i, j, k): neighbour k's share of ζ_ij.
    private final double[] tripletCut;
    private final double[] tripletR;
    private final double[] tripletD;
    private final boolean[] cubic;
    private final double[] lambda3;
    private final double[] gamma;
    private final double[] cSquared;
    private final double[] dSquared;
    private final double[] cdRatio;
    private final double[] cos0;
    // Per central type: the largest cutoff of any of its entries.
    private final double[] centralCut;

    /** Reads {@code file} ({@link TersoffFile}); runs on the {@linkplain WorkerPool#shared() shared pool}. */
    public Tersoff(Path file) {
        this(TersoffFile.read(file), DEFAULT_SKIN, WorkerPool.shared());
    }

    /** Reads {@code file} ({@link TersoffFile}); runs on {@code pool}. */
    public Tersoff(Path file, WorkerPool pool) {
        this(TersoffFile.read(file), DEFAULT_SKIN, pool);
    }

    /**
     * @param table the entries of a {@code .tersoff} file
     * @param skin the Verlet skin (Å), ≥ 0
     * @param pool the workers to run on
     */
    public Tersoff(TripletTable<TersoffParameters> table, double skin, WorkerPool pool) {
        super(table, skin, pool);
        int pairs = nt * nt;
        pairCut = new double[pairs];
        pairR = new double[pairs];
        pairD = new double[pairs];
        lambda1 = new double[pairs];
        bigA = new double[pairs];
        lambda2 = new double[pairs];
        bigB = new double[pairs];
        beta = new double[pairs];
        n = new double[pairs];
        c1 = new double[pairs];
        c2 = new double[pairs];
        c3 = new double[pairs];
        c4 = new double[pairs];
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < nt; j++) {
                TersoffParameters e = table.get(i, j, j);
                if (e == null) {
                    continue;
                }
                int ij = i * nt + j;
                pairCut[ij] = e.cutoff();
                pairR[ij] = e.bigR();
                pairD[ij] = e.bigD();
                lambda1[ij] = e.lambda1();
                bigA[ij] = e.bigA();
                lambda2[ij] = e.lambda2();
                bigB[ij] = e.bigB();
                beta[ij] = e.beta();
                n[ij] = e.n();
                // LAMMPS's switch points between the exact b_ij and its expansions for large and small βζ.
                c1[ij] = Math.pow(2.0 * e.n() * 1.0e-16, -1.0 / e.n());
                c2[ij] = Math.pow(2.0 * e.n() * 1.0e-8, -1.0 / e.n());
                c3[ij] = 1.0 / c2[ij];
                c4[ij] = 1.0 / c1[ij];
            }
        }
        int triplets = pairs * nt;
        tripletCut = new double[triplets];
        tripletR = new double[triplets];
        tripletD = new double[triplets];
        cubic = new boolean[triplets];
        lambda3 = new double[triplets];
        gamma = new double[triplets];
        cSquared = new double[triplets];
        dSquared = new double[triplets];
        cdRatio = new double[triplets];
        cos0 = new double[triplets];
        centralCut = new double[nt];
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < nt; j++) {
                for (int k = 0; k < nt; k++) {
                    TersoffParameters e = table.get(i, j, k);
                    if (e == null) {
                        continue;
                    }
                    int ijk = (i * nt + j) * nt + k;
                    tripletCut[ijk] = e.cutoff();
                    tripletR[ijk] = e.bigR();
                    tripletD[ijk] = e.bigD();
                    cubic[ijk] = e.m() == 3;
                    lambda3[ijk] = e.lambda3();
                    gamma[ijk] = e.gamma();
                    cSquared[ijk] = e.c() * e.c();
                    dSquared[ijk] = e.d() * e.d();
                    cdRatio[ijk] = e.c() == 0 ? 0 : cSquared[ijk] / dSquared[ijk];
                    cos0[ijk] = e.cosTheta0();
                    centralCut[i] = Math.max(centralCut[i], e.cutoff());
                }
            }
        }
    }

    @Override
    protected double cutoff(long mask) {
        double cut = 0;
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < nt; j++) {
                for (int k = 0; k < nt; k++) {
                    if ((mask >>> i & 1) != 0 && (mask >>> j & 1) != 0 && (mask >>> k & 1) != 0) {
                        cut = Math.max(cut, tripletCut[(i * nt + j) * nt + k]);
                    }
                }
            }
        }
        return cut > 0 ? cut : Double.MIN_NORMAL;
    }

    /** The cutoff function f_C (dimensionless). */
    private static double fc(double r, double bigR, double bigD) {
        if (r < bigR - bigD) {
            return 1.0;
        }
        if (r > bigR + bigD) {
            return 0.0;
        }
        return 0.5 * (1.0 - Math.sin(HALF_PI * (r - bigR) / bigD));
    }

    /** dF_C/dr (1/Å). */
    private static double fcDerivative(double r, double bigR, double bigD) {
        if (r < bigR - bigD || r > bigR + bigD) {
            return 0.0;
        }
        return -(QUARTER_PI / bigD) * Math.cos(HALF_PI * (r - bigR) / bigD);
    }

    /**
     * Sets {@code s.bond} to b_ij(ζ) and {@code s.bondDerivative} to db_ij/dζ with LAMMPS's branches (exact form,
     * or its expansions where βζ is very large or very small); the same values as LAMMPS's {@code ters_bij} and
     * {@code ters_bij_d} with fewer calls to pow.
     */
    private void bondOrder(double zeta, int ij, Scratch s) {
        double bt = beta[ij];
        double nn = n[ij];
        double tmp = bt * zeta;
        if (tmp > c1[ij]) {
            double root = Math.sqrt(tmp);
            s.bond = 1.0 / root;
            s.bondDerivative = -0.5 * bt / (tmp * root);
        } else if (tmp > c2[ij]) {
            double root = Math.sqrt(tmp);
            double tn = Math.pow(tmp, -nn);
            s.bond = (1.0 - tn / (2.0 * nn)) / root;
            s.bondDerivative = -0.5 * bt / (tmp * root) * (1.0 - (1.0 + 1.0 / (2.0 * nn)) * tn);
        } else if (tmp < c4[ij]) {
            s.bond = 1.0;
            s.bondDerivative = 0.0;
        } else if (tmp < c3[ij]) {
            double tn1 = Math.pow(tmp, nn - 1.0);
            s.bond = 1.0 - tn1 * tmp / (2.0 * nn);
            s.bondDerivative = -0.5 * bt * tn1;
        } else {
            double tn = Math.pow(tmp, nn);
            double b = Math.pow(1.0 + tn, -1.0 / (2.0 * nn));
            s.bond = b;
            s.bondDerivative = -0.5 * b / (1.0 + tn) * tn / zeta;
        }
    }

    @Override
    protected Scratch neighbourhood(int capacity) {
        return new Scratch(capacity);
    }

    @Override
    protected double reach(int type) {
        return centralCut[type];
    }

    @Override
    protected double interact(int ti, Scratch s) {
        boolean perAtom = this.perAtom;
        int count = s.count;
        int[] tt = s.type;
        double[] ux = s.ux, uy = s.uy, uz = s.uz, rr = s.r, inv = s.inv;
        double[] fx = s.fx, fy = s.fy, fz = s.fz, e = s.e;
        int[] kIndex = s.kIndex;
        double[] kCos = s.kCos, kFc = s.kFc, kDfc = s.kDfc, kG = s.kG, kGd = s.kGd, kEx = s.kEx, kExd = s.kExd;
        int rowPair = ti * nt;
        double etotal = 0;
        double eown = 0;
        for (int a = 0; a < count; a++) {
            int ij = rowPair + tt[a];
            double ra = rr[a];
            if (!(ra < pairCut[ij])) {
                continue;
            }
            double uax = ux[a], uay = uy[a], uaz = uz[a], ia = inv[a];
            double bR = pairR[ij], bD = pairD[ij];
            double fcA = fc(ra, bR, bD);
            double dfcA = fcDerivative(ra, bR, bD);
            // Repulsion, half of the pair from this side.
            double ex1 = Math.exp(-lambda1[ij] * ra);
            double repulsion = fcA * bigA[ij] * ex1;
            double dRepulsion = bigA[ij] * ex1 * (dfcA - lambda1[ij] * fcA);
            etotal += 0.5 * repulsion;
            eown += 0.5 * repulsion;
            // ζ_ij over the other neighbours k, keeping each term's pieces for the forces.
            int rowA = ij * nt;
            double zeta = 0;
            int kc = 0;
            for (int b = 0; b < count; b++) {
                if (b == a) {
                    continue;
                }
                int ijk = rowA + tt[b];
                double rb = rr[b];
                if (!(rb < tripletCut[ijk])) {
                    continue;
                }
                double fcb = fc(rb, tripletR[ijk], tripletD[ijk]);
                double dfcb = fcDerivative(rb, tripletR[ijk], tripletD[ijk]);
                double cs = uax * ux[b] + uay * uy[b] + uaz * uz[b];
                double hc = cos0[ijk] - cs;
                double den = 1.0 / (dSquared[ijk] + hc * hc);
                double g = gamma[ijk] * (1.0 + cdRatio[ijk] - cSquared[ijk] * den);
                double gd = gamma[ijk] * (-2.0 * cSquared[ijk] * hc) * den * den;
                double l3 = lambda3[ijk];
                double delta = ra - rb;
                double arg;
                if (cubic[ijk]) {
                    double t = l3 * delta;
                    arg = t * t * t;
                } else {
                    arg = l3 * delta;
                }
                double ex = arg > EXP_LIMIT ? 1.0e30 : arg < -EXP_LIMIT ? 0.0 : Math.exp(arg);
                double exd = cubic[ijk] ? 3.0 * l3 * l3 * l3 * delta * delta * ex : l3 * ex;
                zeta += fcb * g * ex;
                kIndex[kc] = b;
                kCos[kc] = cs;
                kFc[kc] = fcb;
                kDfc[kc] = dfcb;
                kG[kc] = g;
                kGd[kc] = gd;
                kEx[kc] = ex;
                kExd[kc] = exd;
                kc++;
            }
            bondOrder(zeta, ij, s);
            double bij = s.bond;
            double ex2 = Math.exp(-lambda2[ij] * ra);
            double fa = -bigB[ij] * ex2 * fcA;
            double faD = bigB[ij] * ex2 * (lambda2[ij] * fcA - dfcA);
            double bondEnergy = 0.5 * bij * fa;
            etotal += bondEnergy;
            if (perAtom) {
                eown += 0.5 * bondEnergy;
                e[a] += 0.5 * bondEnergy;
            }
            // Radial forces on j: −∂/∂d_ij of the repulsion and of ½ b_ij f_A at fixed ζ.
            double radial = -(0.5 * dRepulsion + 0.5 * bij * faD);
            double fax = radial * uax, fay = radial * uay, faz = radial * uaz;
            // Forces through ζ_ij: prefactor × ∂ζ/∂d for j and each k.
            double pre = -0.5 * fa * s.bondDerivative;
            for (int c = 0; c < kc; c++) {
                int b = kIndex[c];
                double cs = kCos[c];
                double fcb = kFc[c], g = kG[c], gd = kGd[c], ex = kEx[c], exd = kExd[c];
                double ubx = ux[b], uby = uy[b], ubz = uz[b], ib = inv[b];
                double t1 = fcb * gd * ex * ia;
                double ca = pre * (fcb * g * exd - t1 * cs);
                double cab = pre * t1;
                fax += ca * uax + cab * ubx;
                fay += ca * uay + cab * uby;
                faz += ca * uaz + cab * ubz;
                double s1 = fcb * gd * ex * ib;
                double cb = pre * (kDfc[c] * g * ex - fcb * g * exd - s1 * cs);
                double cba = pre * s1;
                fx[b] += cb * ubx + cba * uax;
                fy[b] += cb * uby + cba * uay;
                fz[b] += cb * ubz + cba * uaz;
            }
            fx[a] += fax;
            fy[a] += fay;
            fz[a] += faz;
        }
        s.own = eown;
        return etotal;
    }

    /**
     * The neighbourhood with, per bond i→j, each neighbour k's pieces of ζ_ij (k's index, cos θ_ijk, f_C and its
     * derivative, g(θ) and its derivative, the exponential and its derivative), and b_ij with db_ij/dζ.
     */
    static final class Scratch extends Neighbourhood {
        final int[] kIndex;
        final double[] kCos, kFc, kDfc, kG, kGd, kEx, kExd;
        double bond;
        double bondDerivative;

        Scratch(int capacity) {
            super(capacity);
            kIndex = new int[capacity];
            kCos = new double[capacity];
            kFc = new double[capacity];
            kDfc = new double[capacity];
            kG = new double[capacity];
            kGd = new double[capacity];
            kEx = new double[capacity];
            kExd = new double[capacity];
        }
    }
}
