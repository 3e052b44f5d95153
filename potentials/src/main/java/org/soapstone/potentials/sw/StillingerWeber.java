package org.soapstone.potentials.sw;

import java.nio.file.Path;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.potentials.manybody.ManyBodyCalculator;
import org.soapstone.potentials.manybody.TripletTable;
import org.soapstone.potentials.manybody.Neighbourhood;

/**
 * The Stillinger–Weber potential (Stillinger &amp; Weber, Phys. Rev. B 31, 5262 (1985)) as LAMMPS's
 * {@code pair_style sw} computes it, multi-element, from a LAMMPS {@code .sw} file:
 * <pre>  E = Σ_i Σ_{j≠i} ½ φ₂(r_ij) + Σ_i Σ_{j&lt;k} φ₃(r_ij, r_ik, θ_jik)</pre>
 * with the terms of {@link SwParameters}. Units: energy eV, forces eV/Å, stress eV/Å³ (ASE sign), per-atom energies
 * eV split as LAMMPS's {@code compute pe/atom} splits them: half of each pair term to each atom, a third of each
 * three-body term to each of its three atoms.
 *
 * <p>Where a file gives the (i, j, k) and (i, k, j) entries different λε or cosθ₀, LAMMPS's result depends on
 * the order of its neighbour list; here the three-body term is then the mean of the two, which equals LAMMPS's
 * for every file where the entries agree (all files shipped with LAMMPS). Likewise the pair term of i–j is
 * ½ φ₂ of the (i, j, j) entry plus ½ φ₂ of the (j, i, i) entry.
 *
 * <p>One pass over a full Verlet neighbour list per call; the loop over central atoms is shared among the workers
 * of a {@link WorkerPool}, deterministic for a given thread count, and allocates nothing once warm.
 */
public final class StillingerWeber extends ManyBodyCalculator<StillingerWeber.Scratch> {
    private static final double THIRD = 1.0 / 3.0;

    // Per ordered type pair (i, j), from the (i, j, j) entry.
    private final double[] pairCut;
    private final double[] aSigma;
    private final double[] sigma;
    private final double[] sigmaGamma;
    private final double[] c5;
    private final double[] c6;
    private final double[] p;
    private final double[] q;
    private final int[] pInt;
    private final int[] qInt;
    // Per ordered type triplet (i, j, k), symmetrised over j and k: λε (cosθ − c0)² + offset.
    private final double[] lambdaEpsilon;
    private final double[] cos0;
    private final double[] offset;
    // Per central type: the largest pair cutoff.
    private final double[] centralCut;

    /** Reads {@code file} ({@link SwFile}); runs on the {@linkplain WorkerPool#shared() shared pool}. */
    public StillingerWeber(Path file) {
        this(SwFile.read(file), DEFAULT_SKIN, WorkerPool.shared());
    }

    /** Reads {@code file} ({@link SwFile}); runs on {@code pool}. */
    public StillingerWeber(Path file, WorkerPool pool) {
        this(SwFile.read(file), DEFAULT_SKIN, pool);
    }

    /**
     * @param table the entries of a {@code .sw} file
     * @param skin the Verlet skin (Å), ≥ 0
     * @param pool the workers to run on
     */
    public StillingerWeber(TripletTable<SwParameters> table, double skin, WorkerPool pool) {
        super(table, skin, pool);
        int pairs = nt * nt;
        pairCut = new double[pairs];
        aSigma = new double[pairs];
        sigma = new double[pairs];
        sigmaGamma = new double[pairs];
        c5 = new double[pairs];
        c6 = new double[pairs];
        p = new double[pairs];
        q = new double[pairs];
        pInt = new int[pairs];
        qInt = new int[pairs];
        centralCut = new double[nt];
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < nt; j++) {
                SwParameters e = table.get(i, j, j);
                if (e == null) {
                    continue;
                }
                int ij = i * nt + j;
                pairCut[ij] = e.pairCutoff();
                aSigma[ij] = e.cutoff();
                sigma[ij] = e.sigma();
                sigmaGamma[ij] = e.sigma() * e.gamma();
                c5[ij] = e.bigA() * e.epsilon() * e.bigB() * Math.pow(e.sigma(), e.p());
                c6[ij] = e.bigA() * e.epsilon() * Math.pow(e.sigma(), e.q());
                p[ij] = e.p();
                q[ij] = e.q();
                pInt[ij] = smallInteger(e.p());
                qInt[ij] = smallInteger(e.q());
                centralCut[i] = Math.max(centralCut[i], pairCut[ij]);
            }
        }
        int triplets = pairs * nt;
        lambdaEpsilon = new double[triplets];
        cos0 = new double[triplets];
        offset = new double[triplets];
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < nt; j++) {
                for (int k = 0; k < nt; k++) {
                    symmetrise(table.get(i, j, k), table.get(i, k, j), (i * nt + j) * nt + k);
                }
            }
        }
    }

    /**
     * ½[L₁(c − a)² + L₂(c − b)²] = L(c − c₀)² + offset with L = ½(L₁ + L₂), c₀ = (L₁a + L₂b)/(L₁ + L₂); exactly
     * L₁(c − a)² when the two entries agree.
     */
    private void symmetrise(SwParameters jk, SwParameters kj, int index) {
        if (jk == null || kj == null) {
            return;
        }
        double l1 = jk.lambda() * jk.epsilon();
        double l2 = kj.lambda() * kj.epsilon();
        double a = jk.cosTheta0();
        double b = kj.cosTheta0();
        if (l1 == l2 && a == b) {
            lambdaEpsilon[index] = l1;
            cos0[index] = a;
            return;
        }
        double l = 0.5 * (l1 + l2);
        double c = l > 0 ? (l1 * a + l2 * b) / (l1 + l2) : 0.5 * (a + b);
        lambdaEpsilon[index] = l;
        cos0[index] = c;
        offset[index] = 0.5 * (l1 * a * a + l2 * b * b) - l * c * c;
    }

    private static int smallInteger(double x) {
        return x == Math.rint(x) && x <= 16 ? (int) x : -1;
    }

    /** @return x^n for a small integer n ≥ 0, else x^power */
    private static double power(double x, double power, int n) {
        if (n < 0) {
            return Math.pow(x, power);
        }
        double r = 1;
        for (int k = 0; k < n; k++) {
            r *= x;
        }
        return r;
    }

    @Override
    protected double cutoff(long mask) {
        double cut = 0;
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < nt; j++) {
                if ((mask >>> i & 1) != 0 && (mask >>> j & 1) != 0) {
                    cut = Math.max(cut, pairCut[i * nt + j]);
                }
            }
        }
        return cut > 0 ? cut : Double.MIN_NORMAL;
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
    protected boolean inRange(int pair, double r) {
        return r < pairCut[pair];
    }

    @Override
    protected double interact(int ti, Scratch s) {
        boolean perAtom = this.perAtom;
        int n = s.count;
        int[] tt = s.type;
        double[] dx = s.dx, dy = s.dy, dz = s.dz, ux = s.ux, uy = s.uy, uz = s.uz, rr = s.r, inv = s.inv;
        double[] expg = s.expg, dlng = s.dlng, fx = s.fx, fy = s.fy, fz = s.fz, e = s.e;
        int rowPair = ti * nt;
        double ei = 0;
        // Everything that depends on one leg only, and the pair term.
        for (int a = 0; a < n; a++) {
            int ij = rowPair + tt[a];
            double r = rr[a];
            double ir = inv[a];
            double is = 1.0 / (r - aSigma[ij]);
            double gs = sigmaGamma[ij] * is;
            double sg = sigma[ij] * is;
            double e2 = Math.exp(sg);
            double rp = c5[ij] * power(ir, p[ij], pInt[ij]);
            double rq = c6[ij] * power(ir, q[ij], qInt[ij]);
            double phi = (rp - rq) * e2;
            double dphi = (q[ij] * rq - p[ij] * rp) * ir * e2 - phi * sg * is;
            ei += 0.5 * phi;
            double g = 0.5 * dphi * ir;
            expg[a] = Math.exp(gs);
            dlng[a] = -gs * is;
            fx[a] = -g * dx[a];
            fy[a] = -g * dy[a];
            fz[a] = -g * dz[a];
        }
        // Three-body terms over pairs of neighbours.
        double e3 = 0;
        for (int a = 0; a < n - 1; a++) {
            int rowA = (rowPair + tt[a]) * nt;
            double uax = ux[a], uay = uy[a], uaz = uz[a], ia = inv[a], ga = expg[a], la = dlng[a];
            double fax = 0, fay = 0, faz = 0, eaa = 0;
            for (int b = a + 1; b < n; b++) {
                int ijk = rowA + tt[b];
                double lam = lambdaEpsilon[ijk];
                double ubx = ux[b], uby = uy[b], ubz = uz[b], ib = inv[b];
                double cs = uax * ubx + uay * uby + uaz * ubz;
                double dc = cs - cos0[ijk];
                double fe = ga * expg[b];
                double h = (lam * dc * dc + offset[ijk]) * fe;
                double dh = 2.0 * lam * dc * fe;
                // −∂h/∂d_a and −∂h/∂d_b, d the vectors from i to the neighbours.
                double ca = h * la - dh * cs * ia;
                double cab = dh * ia;
                double cb = h * dlng[b] - dh * cs * ib;
                double cba = dh * ib;
                fax -= ca * uax + cab * ubx;
                fay -= ca * uay + cab * uby;
                faz -= ca * uaz + cab * ubz;
                fx[b] -= cb * ubx + cba * uax;
                fy[b] -= cb * uby + cba * uay;
                fz[b] -= cb * ubz + cba * uaz;
                e3 += h;
                if (perAtom) {
                    eaa += THIRD * h;
                    e[b] += THIRD * h;
                }
            }
            fx[a] += fax;
            fy[a] += fay;
            fz[a] += faz;
            e[a] += eaa;
        }
        s.own = ei + THIRD * e3;
        return ei + e3;
    }

    /** The neighbourhood with, per neighbour, exp(γσ/(r − aσ)) and its log-derivative (1/Å). */
    static final class Scratch extends Neighbourhood {
        final double[] expg, dlng;

        Scratch(int capacity) {
            super(capacity);
            expg = new double[capacity];
            dlng = new double[capacity];
        }
    }
}
