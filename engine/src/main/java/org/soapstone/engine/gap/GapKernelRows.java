package org.soapstone.engine.gap;

import java.util.Arrays;
import java.util.List;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.gp.DotProductKernel;
import org.soapstone.gp.Kernel;
import org.soapstone.gp.PermutedSquaredExponentialKernel;
import org.soapstone.gp.ProductScratch;
import org.soapstone.gp.SparseRows;
import org.soapstone.gp.SquaredExponentialKernel;

/**
 * The covariances between the observable functionals of one structure — per-atom local energies (hence the total
 * energy), force components and virial components — and the sparse points of a GAP model, as gap_fit assembles
 * them ({@code gpFull_covarianceMatrix_sparse} in GAP's {@code gp_predict.f95}). The columns are the sparse points of
 * all terms in order (each term's points in its order), so a row dotted with the concatenated weights α is the
 * model's prediction, and rows of different terms add (the terms are independent GPs summed).
 *
 * <p>For term t with kernel k_t, instance i (descriptor x_i, cutoff weight f_i, centre atom) and sparse point s
 * (z_s, sparse cutoff c_s), the instance contributes f_i k_t(x_i, z_s) c_s to the local energy of its centre; its
 * derivative with respect to the position of entry atom a, direction κ, is
 * <pre>  d_{aκ,s} = [f_i ∂k_t/∂x(x_i, z_s)·∂x_i/∂r_{aκ} + k_t(x_i, z_s) ∂f_i/∂r_{aκ}] c_s</pre>
 * and enters the force row F_{aκ} as −d and the virial row W_{βκ} = −Σ (r_a − r_centre)_β d (eV; W = −σV, ASE sign).
 * The first product is computed for a chunk of instances at once as one matrix product of the descriptor gradients
 * with the sparse points ({@link Kernel#gradientMatrix}), not pair by pair.
 *
 * <p>A pure function of its inputs; safe to share between threads (scratch is per call).
 */
public final class GapKernelRows {
    /** Gradient entries contracted per matrix product: bounds the scratch to 3·CHUNK·M doubles per term. */
    private static final int CHUNK_ENTRIES = 512;

    private final List<GapTerm> terms;
    private final Kernel[] kernels;
    private final SparseRows[] sparse;
    private final double[][] sparseCutoff;
    private final int[] column;
    private final int columns;

    /**
     * @param terms the model's terms (their α are not used)
     * @throws IllegalArgumentException if a term's covariance has no sparse-GP kernel here (f0 ≠ 0, or not
     *     dot_product/ard_se)
     */
    public GapKernelRows(List<GapTerm> terms) {
        this.terms = List.copyOf(terms);
        kernels = new Kernel[terms.size()];
        sparse = new SparseRows[terms.size()];
        sparseCutoff = new double[terms.size()][];
        column = new int[terms.size()];
        int m = 0;
        for (int t = 0; t < kernels.length; t++) {
            GapTerm term = terms.get(t);
            kernels[t] = kernel(term);
            sparse[t] = new SparseRows(term.sparseX(), term.sparseCount(), term.dimension());
            sparseCutoff[t] = term.sparseCutoff();
            column[t] = m;
            m += term.sparseCount();
        }
        columns = m;
    }

    /**
     * The sparse-GP kernel of a term: δ²(x·z)^ζ for dot_product, δ² exp(−½Σ((x−z)/θ)²) for ard_se, symmetrised
     * over the descriptor's permutations and normalised for distance_Nb ({@link PermutedSquaredExponentialKernel}).
     *
     * @throws IllegalArgumentException for f0 ≠ 0 or another covariance type
     */
    public static Kernel kernel(GapTerm term) {
        if (term.f0() != 0) {
            throw new IllegalArgumentException("term " + term.label() + ": f0 = " + term.f0()
                    + " is not supported for fitting or posterior variances (only f0 = 0)");
        }
        return switch (term.covariance()) {
            case DOT_PRODUCT -> new DotProductKernel(term.delta(), term.zeta());
            case ARD_SE -> term.permuted()
                    ? new PermutedSquaredExponentialKernel(term.delta(), term.theta(), term.permutations())
                    : new SquaredExponentialKernel(term.delta(), term.theta());
            default -> throw new IllegalArgumentException("term " + term.label() + ": covariance " + term.covariance()
                    + " is not supported");
        };
    }

    /** @return M, the total number of sparse points (columns) */
    public int columns() {
        return columns;
    }

    /** @return the number of terms */
    public int termCount() {
        return kernels.length;
    }

    /** @return the first column of term t */
    public int column(int t) {
        return column[t];
    }

    /** @return the kernel of term t */
    public Kernel kernel(int t) {
        return kernels[t];
    }

    /** @return the term t */
    public GapTerm term(int t) {
        return terms.get(t);
    }

    /** @return a new descriptor for each term, in order */
    public Descriptor[] descriptors() {
        Descriptor[] d = new Descriptor[kernels.length];
        for (int t = 0; t < d.length; t++) {
            d[t] = terms.get(t).descriptor().create();
        }
        return d;
    }

    /** Reusable per-thread scratch for {@link #add}: grows to the largest structure seen, then allocates nothing. */
    public static final class Scratch {
        private double[] kxz = new double[0];
        private double[] factors = new double[0];
        private double[] p = new double[0];
        private int[] env = new int[0];
        private double[] dk = new double[0];
        private final ProductScratch products = new ProductScratch();

        private static double[] fit(double[] a, int size) {
            return a.length >= size ? a : new double[size];
        }
    }

    /** As {@link #add(int, DescriptorOutput, double[], double[], double[], Scratch)} with fresh scratch. */
    public void add(int t, DescriptorOutput out, double[] local, double[] force, double[] virial) {
        add(t, out, local, force, virial, new Scratch());
    }

    /**
     * Adds one term's rows for one structure's descriptor instances.
     *
     * @param t the term
     * @param out the term's instances for the whole structure (with gradients if {@code force} or {@code virial})
     * @param local if non-null, per-atom local-energy rows, atom-major N × {@link #columns()} (eV²)
     * @param force if non-null, force-component rows 3N × {@link #columns()}, atom-major then x, y, z (eV²/Å)
     * @param virial if non-null, virial rows 9 × {@link #columns()}, W_{βκ} row-major (eV²)
     * @param scratch this thread's scratch
     */
    public void add(int t, DescriptorOutput out, double[] local, double[] force, double[] virial, Scratch scratch) {
        int n = out.count();
        if (n == 0) {
            return;
        }
        Kernel kernel = kernels[t];
        SparseRows z = sparse[t];
        double[] c = sparseCutoff[t];
        int m = c.length;
        int d = out.dimension();
        int o = column[t];
        int cols = columns;
        double[] x = out.values();
        double[] kxz = scratch.kxz = Scratch.fit(scratch.kxz, n * m);
        kernel.matrix(x, n, z, scratch.products, kxz);
        if (local != null) {
            int shares = out.energyShares();
            for (int i = 0; i < n; i++) {
                double w = shares == 1 ? out.cutoffWeight(i) : out.cutoffWeight(i) / shares;
                for (int share = 0; share < shares; share++) {
                    int row = out.energyAtom(i, share) * cols + o;
                    for (int s = 0; s < m; s++) {
                        local[row + s] += w * kxz[i * m + s] * c[s];
                    }
                }
            }
        }
        if (force == null && virial == null) {
            return;
        }
        if (!out.hasGradients()) {
            throw new IllegalArgumentException("force or virial rows need descriptor gradients");
        }
        double[] factors = scratch.factors = Scratch.fit(scratch.factors, n * m);
        kernel.gradientFactors(x, n, z, scratch.products, kxz, factors);
        double[] dw = out.cutoffWeightGradients();
        double[] off = out.gradientOffsets();
        int chunk = Math.min(CHUNK_ENTRIES, Math.max(1, out.gradientEntries()));
        double[] p = scratch.p = Scratch.fit(scratch.p, 3 * chunk * m);
        if (scratch.env.length < 3 * chunk) {
            scratch.env = new int[3 * chunk];
        }
        int[] env = scratch.env;
        double[] dk = scratch.dk = Scratch.fit(scratch.dk, m);
        for (int i0 = 0; i0 < n; ) {
            int e0 = out.gradientStart(i0);
            int i1 = i0 + 1;
            while (i1 < n && out.gradientEnd(i1) - e0 <= chunk) {
                i1++;
            }
            int e1 = out.gradientEnd(i1 - 1);
            int rows = 3 * (e1 - e0);
            if (rows > p.length / m) {
                p = scratch.p = new double[rows * m];
                env = scratch.env = new int[rows];
            }
            for (int i = i0; i < i1; i++) {
                for (int e = out.gradientStart(i); e < out.gradientEnd(i); e++) {
                    Arrays.fill(env, 3 * (e - e0), 3 * (e - e0) + 3, i);
                }
            }
            kernel.gradientMatrix(x, env, out.gradients(), 3 * e0 * d, rows, z, scratch.products, factors, p);
            for (int i = i0; i < i1; i++) {
                double w = out.cutoffWeight(i);
                int ki = i * m;
                for (int e = out.gradientStart(i); e < out.gradientEnd(i); e++) {
                    int atom = out.gradientAtom(e);
                    for (int k = 0; k < 3; k++) {
                        int pr = (3 * (e - e0) + k) * m;
                        double dwk = dw[3 * e + k];
                        if (virial == null) {
                            // forces only: one pass, the same arithmetic as through dk
                            int fr = (3 * atom + k) * cols + o;
                            for (int s = 0; s < m; s++) {
                                force[fr + s] -= (w * p[pr + s] + kxz[ki + s] * dwk) * c[s];
                            }
                            continue;
                        }
                        for (int s = 0; s < m; s++) {
                            dk[s] = (w * p[pr + s] + kxz[ki + s] * dwk) * c[s];
                        }
                        if (force != null) {
                            int fr = (3 * atom + k) * cols + o;
                            for (int s = 0; s < m; s++) {
                                force[fr + s] -= dk[s];
                            }
                        }
                        if (virial != null) {
                            for (int b = 0; b < 3; b++) {
                                double ob = off[3 * e + b];
                                int vr = (3 * b + k) * cols + o;
                                for (int s = 0; s < m; s++) {
                                    virial[vr + s] -= ob * dk[s];
                                }
                            }
                        }
                    }
                }
            }
            i0 = i1;
        }
    }

    /**
     * Adds to {@code perAtom} the prior variance of each atom's local energy under term t:
     * Σ f_i f_j k_t(x_i, x_j) over pairs of the atom's instances (eV²).
     *
     * @param t the term
     * @param out the term's instances for the structure, in order of centre atom
     * @param perAtom per-atom sums (length N), added to
     */
    public void addLocalPriorVariance(int t, DescriptorOutput out, double[] perAtom) {
        addLocalPriorVariance(t, out, perAtom, 0);
    }

    /**
     * As {@link #addLocalPriorVariance(int, DescriptorOutput, double[])} for instances whose centres are atoms
     * {@code firstAtom, firstAtom + 1, …}: atom a's sum goes to {@code perAtom[a − firstAtom]}.
     */
    public void addLocalPriorVariance(int t, DescriptorOutput out, double[] perAtom, int firstAtom) {
        int n = out.count();
        int d = out.dimension();
        double[] x = out.values();
        Kernel kernel = kernels[t];
        if (out.energyShares() > 1) {
            addSharedPriorVariance(kernel, out, perAtom);
            return;
        }
        for (int i0 = 0; i0 < n; ) {
            int i1 = i0 + 1;
            while (i1 < n && out.centre(i1) == out.centre(i0)) {
                i1++;
            }
            double v = 0;
            for (int i = i0; i < i1; i++) {
                for (int j = i0; j < i1; j++) {
                    v += out.cutoffWeight(i) * out.cutoffWeight(j) * kernel.value(x, i * d, x, j * d, d);
                }
            }
            perAtom[out.centre(i0) - firstAtom] += v;
            i0 = i1;
        }
    }

    /**
     * {@link #addLocalPriorVariance} for instances whose energy is shared between K atoms: atom a's local energy is
     * Σ over the instances naming it (once per naming) of f_i ε(x_i)/K.
     */
    private static void addSharedPriorVariance(Kernel kernel, DescriptorOutput out, double[] perAtom) {
        int n = out.count();
        int d = out.dimension();
        int shares = out.energyShares();
        double[] x = out.values();
        int atoms = perAtom.length;
        int[] count = new int[atoms + 1];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < shares; k++) {
                count[out.energyAtom(i, k) + 1]++;
            }
        }
        for (int a = 0; a < atoms; a++) {
            count[a + 1] += count[a];
        }
        int[] owned = new int[count[atoms]];
        int[] fill = Arrays.copyOf(count, atoms);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < shares; k++) {
                owned[fill[out.energyAtom(i, k)]++] = i;
            }
        }
        for (int a = 0; a < atoms; a++) {
            double v = 0;
            for (int p = count[a]; p < count[a + 1]; p++) {
                int i = owned[p];
                for (int q = count[a]; q < count[a + 1]; q++) {
                    int j = owned[q];
                    v += out.cutoffWeight(i) * out.cutoffWeight(j) * kernel.value(x, i * d, x, j * d, d);
                }
            }
            perAtom[a] += v / ((double) shares * shares);
        }
    }

    /**
     * The prior variance of the total energy of the structure under term t: Σ_{i,j} f_i f_j k_t(x_i, x_j) over all
     * pairs of instances (eV²), in blocks of rows so the scratch stays small.
     *
     * @param t the term
     * @param out the term's instances for the structure
     * @return the prior variance (eV²)
     */
    public double totalPriorVariance(int t, DescriptorOutput out) {
        int n = out.count();
        int d = out.dimension();
        double[] x = out.values();
        int block = Math.min(n, 256);
        double[] k = new double[block * n];
        double total = 0;
        for (int i0 = 0; i0 < n; i0 += block) {
            int rows = Math.min(block, n - i0);
            kernels[t].matrix(Arrays.copyOfRange(x, i0 * d, (i0 + rows) * d), rows, x, n, d, k);
            for (int i = 0; i < rows; i++) {
                double wi = out.cutoffWeight(i0 + i);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += out.cutoffWeight(j) * k[i * n + j];
                }
                total += wi * sum;
            }
        }
        return total;
    }

    /**
     * K_MM over all terms, column-major M×M, block diagonal: c_i k_t(z_i, z_j) c_j within each term (eV²), as
     * gap_fit's {@code covariance_subY_subY} without its jitter.
     */
    public double[] sparseCovariance() {
        int m = columns;
        double[] kmm = new double[m * m];
        for (int t = 0; t < kernels.length; t++) {
            GapTerm term = terms.get(t);
            int mt = term.sparseCount();
            int d = term.dimension();
            double[] c = sparseCutoff[t];
            double[] block = new double[mt * mt];
            kernels[t].matrix(sparse[t].values(), mt, sparse[t].values(), mt, d, block);
            int o = column[t];
            for (int j = 0; j < mt; j++) {
                for (int i = 0; i < mt; i++) {
                    kmm[(o + i) + (o + j) * m] = c[i] * block[i * mt + j] * c[j];
                }
            }
        }
        return kmm;
    }

    /** Whether a covariance type can be fitted (has a sparse-GP kernel here). */
    public static boolean fittable(CovarianceType type) {
        return type == CovarianceType.DOT_PRODUCT || type == CovarianceType.ARD_SE;
    }
}
