package org.soapstone.potentials.quip;

import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.potentials.pair.PairPotential;
import org.soapstone.potentials.pair.SpeciesTable;

/**
 * QUIP's ZBL screened nuclear repulsion ({@code IP ZBL}, {@code IPModel_ZBL.f95}), which gap_fit users name as a
 * core potential by its arguments alone ({@code core_ip_args={IP ZBL cutoff=… cutoff_width=…}}):
 * <pre>  φ(r) = (k_e Z_i Z_j / r) Σ_k c_k exp(p_k r / a) · S(r),   a = a₀ / (Z_i^{a_exp} + Z_j^{a_exp})</pre>
 * with QUIP's defaults a₀ = 0.46850 Å, a_exp = 0.23, (c_k, p_k) = (0.18175, −3.19980), (0.50986, −0.94229),
 * (0.28022, −0.40290), (0.02817, −0.20162); k_e = 14.3996458521 eV·Å as QUIP writes it — a single-precision
 * literal, so 14.39964580535888671875; S the quintic switch {@code poly_switch} 1 − 35x⁴ + 84x⁵ − 70x⁶ + 20x⁷,
 * x = (r − (r_c − w))/w, over the last {@code cutoff_width} w before {@code cutoff} r_c (S = 1 without a width);
 * φ shifted to 0 at r_c with {@code shift_cutoff=T} (the shift is switched too); everything scaled by
 * {@code E_scale}. Units eV, Å.
 */
public final class QuipZbl extends PairPotential {
    /** QUIP's Coulomb constant k_e e² (eV·Å): {@code real(dp) :: ke_e2 = 14.3996458521}, a default-real literal. */
    public static final double KE_E2 = (float) 14.3996458521;
    private static final int MAX_Z = 118;

    private final double cutoff;
    private final double width;
    private final boolean shift;
    private final double energyScale;
    private final double aPre;
    private final double aExp;
    private final double[] pre;
    private final double[] exp;

    /**
     * @param args QUIP's {@code IP ZBL} arguments: {@code cutoff} (Å, required &gt; 0), {@code cutoff_width} (Å),
     *     {@code shift_cutoff}, {@code E_scale}, {@code a_pre_exp}, {@code a_exp}, {@code p_pre_exp_1..4},
     *     {@code p_exp_1..4}
     * @param skin the Verlet skin (Å)
     * @param pool the workers
     * @throws IllegalArgumentException for a missing cutoff or {@code cutoff_scale_cov_rad=T}
     */
    QuipZbl(QuipArguments args, double skin, WorkerPool pool) {
        this(cutoff(args), args, skin, pool);
    }

    private QuipZbl(double cutoff, QuipArguments args, double skin, WorkerPool pool) {
        super(SpeciesTable.allElements("IP ZBL"), filled(MAX_Z * MAX_Z, cutoff), skin, pool);
        if (args.logical("cutoff_scale_cov_rad", false)) {
            throw new IllegalArgumentException("'" + args.text() + "': cutoff_scale_cov_rad=T is not supported");
        }
        this.cutoff = cutoff;
        this.width = args.real("cutoff_width", 0.0);
        if (width < 0 || width > cutoff) {
            throw new IllegalArgumentException("'" + args.text() + "': cutoff_width=" + width + " must be in [0, cutoff]");
        }
        this.shift = args.logical("shift_cutoff", false);
        this.energyScale = args.real("E_scale", 1.0);
        this.aPre = args.real("a_pre_exp", 0.46850);
        this.aExp = args.real("a_exp", 0.23);
        this.pre = new double[] {args.real("p_pre_exp_1", 0.18175), args.real("p_pre_exp_2", 0.50986),
            args.real("p_pre_exp_3", 0.28022), args.real("p_pre_exp_4", 0.02817)};
        this.exp = new double[] {args.real("p_exp_1", -3.19980), args.real("p_exp_2", -0.94229),
            args.real("p_exp_3", -0.40290), args.real("p_exp_4", -0.20162)};
    }

    private static double cutoff(QuipArguments args) {
        double c = args.real("cutoff", 0.0);
        if (!(c > 0)) {
            throw new IllegalArgumentException("'" + args.text() + "': IP ZBL needs cutoff > 0 (Å); with QUIP's "
                    + "default 0 the sum runs over whatever neighbour list the atoms carry");
        }
        return c;
    }

    private static double[] filled(int n, double value) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    @Override
    protected double pairEnergy(int pairType, double r, double[] dEdr) {
        int zi = pairType / MAX_Z + 1;
        int zj = pairType % MAX_Z + 1;
        double c = KE_E2 * zi * zj / r;
        double a = aPre / (Math.pow(zi, aExp) + Math.pow(zj, aExp));
        double rs = r / a;
        double s = 0;
        double sp = 0;
        for (int k = 0; k < 4; k++) {
            double t = pre[k] * Math.exp(exp[k] * rs);
            s += t;
            sp += exp[k] * t;
        }
        double de = c * s;
        if (shift) {
            double cs = KE_E2 * zi * zj / cutoff;
            double rc = cutoff / a;
            double sc = 0;
            for (int k = 0; k < 4; k++) {
                sc += pre[k] * Math.exp(exp[k] * rc);
            }
            de -= cs * sc;
        }
        double deDr = -c / r * s + c / a * sp;
        double fCut = 1;
        double dfCut = 0;
        if (width > 0) {
            fCut = QuipSwitch.value(r, cutoff, width);
            dfCut = QuipSwitch.derivative(r, cutoff, width);
        }
        dEdr[0] = energyScale * (deDr * fCut + de * dfCut);
        return energyScale * de * fCut;
    }
}
