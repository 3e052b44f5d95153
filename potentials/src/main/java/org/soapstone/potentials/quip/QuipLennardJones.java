package org.soapstone.potentials.quip;

import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Element;
import org.soapstone.potentials.pair.PairPotential;
import org.soapstone.potentials.pair.SpeciesTable;

/**
 * QUIP's Lennard-Jones potential ({@code IP LJ}, {@code IPModel_LJ.f95}) from its {@code LJ_params} XML:
 * <pre>  φ(r) = [ε₁₂ (σ/r)¹² − ε₆ (σ/r)⁶ − E_s − F_s (r − r_c)] · S(r)   for r ≤ r_c</pre>
 * per pair of types ({@code per_pair_data}: {@code sigma} Å, {@code eps6}, {@code eps12} eV — no factor 4 —,
 * {@code cutoff} r_c Å, {@code energy_shift=T} sets E_s to the unshifted φ(r_c), {@code linear_force_shift=T} sets
 * F_s to its slope there, {@code smooth_cutoff_width} w Å the {@link QuipSwitch} S, 1 without). Pairs without data
 * do not interact. Tail corrections and {@code only_inter_resid} are not supported. Units eV, Å.
 */
public final class QuipLennardJones extends PairPotential {
    private final double[] sigma;
    private final double[] eps6;
    private final double[] eps12;
    private final double[] cutoff;
    private final double[] energyShift;
    private final double[] forceShift;
    private final double[] width;

    private QuipLennardJones(SpeciesTable species, double[] cutoffs, Table t, double skin, WorkerPool pool) {
        super(species, positive(cutoffs), skin, pool);
        this.sigma = t.sigma;
        this.eps6 = t.eps6;
        this.eps12 = t.eps12;
        this.cutoff = cutoffs;
        this.energyShift = t.energyShift;
        this.forceShift = t.forceShift;
        this.width = t.width;
    }

    private record Table(double[] sigma, double[] eps6, double[] eps12, double[] cutoff, double[] energyShift,
            double[] forceShift, double[] width) {
    }

    /**
     * @param p the parameter file
     * @param label the {@code label=} argument, "" for none
     * @throws IllegalArgumentException naming the element and attribute of a bad parameter
     */
    static QuipLennardJones of(QuipParameters p, String label, double skin, WorkerPool pool) {
        org.w3c.dom.Element root = p.potential("LJ_params", label);
        if (p.logical(root, "only_inter_resid", false)) {
            throw new IllegalArgumentException(p.where(root) + ": only_inter_resid=T is not supported");
        }
        List<Element> species = types(p, root, "LJ_params");
        int n = species.size();
        Table t = new Table(new double[n * n], new double[n * n], new double[n * n], new double[n * n],
                new double[n * n], new double[n * n], new double[n * n]);
        for (org.w3c.dom.Element e : QuipParameters.children(root, "per_pair_data")) {
            int a = type(p, e, "type1", n);
            int b = type(p, e, "type2", n);
            for (int k : new int[] {a * n + b, b * n + a}) {
                t.sigma[k] = p.real(e, "sigma");
                t.eps6[k] = p.real(e, "eps6");
                t.eps12[k] = p.real(e, "eps12");
                t.cutoff[k] = p.real(e, "cutoff");
                t.width[k] = p.real(e, "smooth_cutoff_width", 0.0);
                t.energyShift[k] = 0;
                t.forceShift[k] = 0;
                // QUIP takes the shifts from the unshifted, unswitched potential at the cutoff
                double s6 = Math.pow(t.sigma[k] / t.cutoff[k], 6);
                if (p.logical(e, "energy_shift", false)) {
                    t.energyShift[k] = t.eps12[k] * s6 * s6 - t.eps6[k] * s6;
                }
                if (p.logical(e, "linear_force_shift", false)) {
                    t.forceShift[k] = (-12.0 * t.eps12[k] * s6 * s6 + 6.0 * t.eps6[k] * s6) / t.cutoff[k];
                }
            }
        }
        return new QuipLennardJones(new SpeciesTable(p.source() + " LJ_params", species), t.cutoff, t, skin, pool);
    }

    /** The per_type_data of a QUIP potential element: type (1-based) → atomic number, as a species list. */
    static List<Element> types(QuipParameters p, org.w3c.dom.Element root, String name) {
        int n = p.integer(root, "n_types");
        Element[] byType = new Element[n];
        for (org.w3c.dom.Element e : QuipParameters.children(root, "per_type_data")) {
            int t = type(p, e, "type", n);
            byType[t] = Element.of(p.integer(e, "atomic_num"));
        }
        List<Element> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            if (byType[t] == null) {
                throw new IllegalArgumentException(p.where(root) + ": no per_type_data for type " + (t + 1) + " of "
                        + n);
            }
            out.add(byType[t]);
        }
        return out;
    }

    /** @return the 0-based type of a 1-based type attribute */
    static int type(QuipParameters p, org.w3c.dom.Element e, String attribute, int n) {
        int t = p.integer(e, attribute);
        if (t < 1 || t > n) {
            throw new IllegalArgumentException(p.where(e) + ": " + attribute + "=" + t + " is not 1.." + n);
        }
        return t - 1;
    }

    private static double[] positive(double[] cutoffs) {
        double[] c = cutoffs.clone();
        for (int k = 0; k < c.length; k++) {
            if (!(c[k] > 0)) {
                c[k] = Double.MIN_NORMAL;
            }
        }
        return c;
    }

    @Override
    protected double pairEnergy(int k, double r, double[] dEdr) {
        if (r > cutoff[k] || r == 0) {
            dEdr[0] = 0;
            return 0;
        }
        double s6 = Math.pow(sigma[k] / r, 6);
        double phi = (eps12[k] * s6 * s6 - eps6[k] * s6) - energyShift[k] - forceShift[k] * (r - cutoff[k]);
        double dphi = (-12.0 * eps12[k] * s6 * s6 + 6.0 * eps6[k] * s6) / r - forceShift[k];
        if (width[k] != 0) {
            // QUIP's derivative multiplies the switch's slope by the already switched energy (φS·S', not φ·S'),
            // so with a smooth cutoff its forces are not exactly −∂E/∂r; they are reproduced as QUIP computes them
            double sw = QuipSwitch.value(r, cutoff[k], width[k]);
            phi *= sw;
            dphi = dphi * sw + phi * QuipSwitch.derivative(r, cutoff[k], width[k]);
        }
        dEdr[0] = dphi;
        return phi;
    }
}
