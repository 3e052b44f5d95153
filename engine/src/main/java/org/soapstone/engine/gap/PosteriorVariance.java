package org.soapstone.engine.gap;

import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.Covariance;
import org.soapstone.gp.ObservationBlock;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.SparseGpPosterior;

/**
 * Predictive variances of a fitted GAP model from its sparse-GP posterior (DTC, Deringer et al., Chem. Rev. 121,
 * 10073 (2021), sec. 3): for a functional L of the local energies with covariance row k_* against the sparse points
 * ({@link GapKernelRows}) and prior variance k_** (the kernel summed over pairs of the instances L involves, terms
 * being independent), σ² = k_** − ||U^{-ᵀ}k_*||² + ||R^{-ᵀ}k_*||². Per-atom local energies, the total energy and
 * force components (whose k_** needs the kernel's mixed second derivatives, {@link Covariance#priorVariance}).
 * The triangular solves are batched over all atoms (BLAS-3). Thread-safe.
 */
public final class PosteriorVariance {
    private final GapKernelRows rows;
    private final SparseGpPosterior posterior;
    private final Descriptor[] descriptors;
    private final double cutoff;

    PosteriorVariance(GapModel model) {
        this(new GapKernelRows(model.terms()), model.posterior());
    }

    /**
     * @param rows the kernel rows of a model's terms
     * @param posterior a posterior over their sparse points (e.g. a cross-validation fold's)
     */
    public PosteriorVariance(GapKernelRows rows, SparseGpPosterior posterior) {
        this.rows = rows;
        this.posterior = posterior;
        descriptors = rows.descriptors();
        double c = 0;
        for (Descriptor d : descriptors) {
            c = Math.max(c, d.cutoff());
        }
        cutoff = c;
    }

    private DescriptorOutput[] describe(Structure s, boolean gradients) {
        NeighbourList nl = NeighbourList.build(s, cutoff, true);
        DescriptorOutput[] outs = new DescriptorOutput[descriptors.length];
        for (int t = 0; t < outs.length; t++) {
            outs[t] = descriptors[t].newOutput();
            descriptors[t].compute(s, nl, gradients, outs[t]);
        }
        return outs;
    }

    /** @return the largest cutoff of the model's descriptors (Å) */
    public double cutoff() {
        return cutoff;
    }

    /**
     * @param s the atoms (positions Å)
     * @return the latent variance of each atom's local energy (eV²), k** − kᵀK_MM⁻¹k + kᵀΣk
     */
    public double[] local(Structure s) {
        return local(s, null);
    }

    /**
     * @param s the atoms (positions Å)
     * @param bound a projection of this posterior ({@link VarianceProjection#ofPosterior}), or null for the exact
     *     variances
     * @return the latent variance of each atom's local energy (eV²), exactly or as the projection's bound
     */
    public double[] local(Structure s, VarianceProjection bound) {
        double[] prior = new double[s.size()];
        double[] k = localRows(s, prior);
        return bound == null ? posterior.variances(k, prior) : bound.variances(k, prior);
    }

    /**
     * @param s the atoms (positions Å)
     * @param inEigenOrder this posterior's projection in eigen order ({@link VarianceProjection#ofPosteriorInEigenOrder})
     * @param ranks ascending ranks
     * @return [rank][atom] the latent local-energy variances bounded at each rank (eV²)
     */
    public double[][] local(Structure s, VarianceProjection inEigenOrder, int[] ranks) {
        double[] prior = new double[s.size()];
        double[] k = localRows(s, prior);
        return inEigenOrder.variances(k, prior, ranks);
    }

    /** @return each atom's kernel row (atom-major N × M), with its prior variance k** added to {@code prior} */
    private double[] localRows(Structure s, double[] prior) {
        double[] k = new double[s.size() * rows.columns()];
        DescriptorOutput[] outs = describe(s, false);
        for (int t = 0; t < outs.length; t++) {
            rows.add(t, outs[t], k, null, null);
            rows.addLocalPriorVariance(t, outs[t], prior);
        }
        return k;
    }

    /** @return the posterior */
    public SparseGpPosterior posterior() {
        return posterior;
    }

    /** Variance of the total energy (eV²). */
    double total(Structure s) {
        int n = s.size();
        int m = rows.columns();
        double[] local = new double[n * m];
        double prior = 0;
        DescriptorOutput[] outs = describe(s, false);
        for (int t = 0; t < outs.length; t++) {
            rows.add(t, outs[t], local, null, null);
            prior += rows.totalPriorVariance(t, outs[t]);
        }
        double[] k = new double[m];
        for (int a = 0; a < n; a++) {
            for (int j = 0; j < m; j++) {
                k[j] += local[a * m + j];
            }
        }
        return posterior.variances(k, new double[] {prior})[0];
    }

    /** Variance of each force component (eV²/Å²), 3N atom-major. */
    double[] forces(Structure s) {
        int n = s.size();
        int m = rows.columns();
        double[] k = new double[3 * n * m];
        double[] prior = new double[3 * n];
        DescriptorOutput[] outs = describe(s, true);
        for (int t = 0; t < outs.length; t++) {
            rows.add(t, outs[t], null, k, null);
            ObservationBlock block = forceFunctionals(outs[t], n);
            for (int r = 0; r < 3 * n; r++) {
                prior[r] += Covariance.priorVariance(rows.kernel(t), block, r);
            }
        }
        return posterior.variances(k, prior);
    }

    /**
     * The weight-space variances uᵀΣu (Σ = (RᵀR)⁻¹ the posterior covariance of α, u the functional's kernel row) of
     * the total energy (eV²), each force component (eV²/Å², 3N atom-major) and the six virial components W_xx,
     * W_yy, W_zz, W_yz, W_xz, W_xy (eV², symmetrised as the fit's rows), from one descriptor pass with gradients and
     * one batched triangular solve.
     *
     * @return {energy}, forces, virial
     */
    double[][] weightSpace(Structure s) {
        int n = s.size();
        int m = rows.columns();
        double[] local = new double[n * m];
        double[] force = new double[3 * n * m];
        double[] virial = new double[9 * m];
        DescriptorOutput[] outs = describe(s, true);
        for (int t = 0; t < outs.length; t++) {
            rows.add(t, outs[t], local, force, virial);
        }
        double[] u = new double[(1 + 3 * n + VIRIAL.length) * m];
        for (int a = 0; a < n; a++) {
            for (int j = 0; j < m; j++) {
                u[j] += local[a * m + j];
            }
        }
        System.arraycopy(force, 0, u, m, 3 * n * m);
        int r = 1 + 3 * n;
        for (int[] ab : VIRIAL) {
            for (int j = 0; j < m; j++) {
                u[r * m + j] = 0.5 * (virial[(3 * ab[0] + ab[1]) * m + j] + virial[(3 * ab[1] + ab[0]) * m + j]);
            }
            r++;
        }
        double[] w = posterior.weightVariances(u, r);
        return new double[][] {{w[0]}, java.util.Arrays.copyOfRange(w, 1, 1 + 3 * n),
            java.util.Arrays.copyOfRange(w, 1 + 3 * n, r)};
    }

    /** The virial components as (row, column) of W, in Voigt order xx, yy, zz, yz, xz, xy. */
    private static final int[][] VIRIAL = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};

    /**
     * The force components of a structure as functionals of one term's local energies: F_{aκ} = −Σ over the
     * gradient entries e naming atom a of [f_i ∂ε/∂x(x_i)·∂x_i/∂r_{eκ} + ε(x_i) ∂f_i/∂r_{eκ}].
     */
    private static ObservationBlock forceFunctionals(DescriptorOutput out, int atoms) {
        int d = out.dimension();
        ObservationBlock.Builder b = new ObservationBlock.Builder(d);
        for (int i = 0; i < out.count(); i++) {
            b.environment(out.values(), i * d);
        }
        List<List<int[]>> byAtom = new ArrayList<>();
        for (int a = 0; a < atoms; a++) {
            byAtom.add(new ArrayList<>());
        }
        for (int i = 0; i < out.count(); i++) {
            for (int e = out.gradientStart(i); e < out.gradientEnd(i); e++) {
                byAtom.get(out.gradientAtom(e)).add(new int[] {i, e});
            }
        }
        double[] g = new double[d];
        double[] grad = out.gradients();
        double[] dw = out.cutoffWeightGradients();
        for (int a = 0; a < atoms; a++) {
            for (int k = 0; k < 3; k++) {
                b.row(0.0, 1.0, ObservationKind.FORCE);
                for (int[] ie : byAtom.get(a)) {
                    int i = ie[0];
                    int e = ie[1];
                    double w = out.cutoffWeight(i);
                    int base = (3 * e + k) * d;
                    for (int c = 0; c < d; c++) {
                        g[c] = -w * grad[base + c];
                    }
                    b.gradient(i, g, 0);
                    if (dw[3 * e + k] != 0) {
                        b.value(i, -dw[3 * e + k]);
                    }
                }
            }
        }
        return b.build();
    }
}
