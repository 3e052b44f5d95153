package org.soapstone.gp;

import java.util.Arrays;

/**
 * The data of a sparse-GP fit split into groups of rows (e.g. observation kind × config type) and K folds, in the
 * basis whitened by the prior, so that the fit on any set of folds at new noise σ of each group and new δ of each
 * term is one Cholesky of an M × M matrix — O(M³), no pass over the data.
 *
 * <p>With U₀ the Cholesky factor of K_MM(δ⁰) + jitter·I and every data row A = Λ^{-1/2}K_NM whitened to X = A U₀⁻¹
 * when it is added ({@link #whiten}), each group-fold keeps Ĝ = [X y]ᵀ[X y] ({@link GramAccumulator}). Multiplying
 * the rows' 1/σ² of group g by w_g and each term's δ² by d_t (D = diag(d) over the columns), the projected-process
 * normal equations (K_MM(δ) + jitter·I + A(δ)ᵀWA(δ)) α = A(δ)ᵀWy become, with α = U₀⁻¹β,
 * <pre>  (D − jitter·(D − I)·J + D·(Σ_g w_g Ĝ_g)·D) β = D·Σ_g w_g X_gᵀ y_g,   J = U₀⁻ᵀU₀⁻¹,</pre>
 * because U₀ is block diagonal over the terms and so commutes with D. At D = I the matrix is I + Σ w_g Ĝ_g: its
 * eigenvalues are ≥ 1 whatever the jitter, so the Cholesky never fails for rounding, as the unwhitened normal
 * equations K_MM + AᵀWA do at sparse_jitter = 10⁻⁸ (measured on mlearn Si, M = 1000). A prediction is
 * k(δ)·α = (k U₀⁻¹)·(Dβ): held-out kernel rows are whitened once ({@link #whitenRows}).
 *
 * <p>Reference: Titsias, AISTATS 2009 and GPflow's SGPR (the whitened DTC system I + U⁻ᵀK_MN Λ⁻¹K_NM U⁻¹);
 * Rasmussen &amp; Williams (2006), sec. 5.4.2 (cross-validation).
 */
public final class FoldGrams {

    /** One group-fold's data. */
    sealed interface Part permits Packed, Rows {
        /**
         * {@code h} (column-major M × M, upper triangle) += w·D·XᵀX·D and {@code rhs} += w·D·Xᵀy.
         */
        void addTo(double[] h, double[] rhs, int m, double weight, double[] d);

        /** @return bytes held */
        long bytes();
    }

    /** The Gram's upper triangle packed column by column, entry (i, j ≥ i) at j(j+1)/2 + i; n = M + 1. */
    record Packed(double[] values, int n) implements Part {
        @Override
        public void addTo(double[] h, double[] rhs, int m, double weight, double[] d) {
            for (int j = 0; j < m; j++) {
                int off = j * (j + 1) / 2;
                int col = j * m;
                double c = weight * d[j];
                for (int i = 0; i <= j; i++) {
                    h[col + i] += c * d[i] * values[off + i];
                }
            }
            int off = m * (m + 1) / 2;
            for (int j = 0; j < m; j++) {
                rhs[j] += weight * d[j] * values[off + j];
            }
        }

        @Override
        public long bytes() {
            return 8L * values.length;
        }
    }

    /** Fewer rows than (M+1)/2, kept as they are: column-major rows × n, n = M + 1. */
    record Rows(double[] values, int rows, int n) implements Part {
        @Override
        public void addTo(double[] h, double[] rhs, int m, double weight, double[] d) {
            double root = Math.sqrt(weight);
            double[] b = new double[rows * m];
            for (int j = 0; j < m; j++) {
                double c = root * d[j];
                for (int i = 0; i < rows; i++) {
                    b[i + j * rows] = c * values[i + j * rows];
                }
            }
            NativeLinearAlgebra.addGram(b, rows, m, 1.0, h, m);
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int i = 0; i < rows; i++) {
                    sum = Math.fma(b[i + j * rows], values[i + m * rows], sum);
                }
                rhs[j] += root * sum;
            }
        }

        @Override
        public long bytes() {
            return 8L * values.length;
        }
    }

    private final TriangularFactor u0;
    private final double jitter;
    private final int m;
    private final int groups;
    private final int folds;
    private final int[] termStart;
    private final Part[] parts;
    private final long[] rows;
    /** J = U₀⁻ᵀU₀⁻¹, column-major upper, made when a δ first changes. */
    private double[] inverse;

    /**
     * @param u0 U₀, U₀ᵀU₀ = K_MM(δ⁰) + jitter·I (eV), block diagonal over the terms
     * @param jitter the jitter in U₀ (eV²)
     * @param termStart first column of each term, then M ({@code termStart[0] = 0}, increasing)
     * @param groups the number of groups of rows
     * @param folds K, the number of folds (≥ 1)
     */
    public FoldGrams(TriangularFactor u0, double jitter, int[] termStart, int groups, int folds) {
        this.u0 = u0;
        this.m = u0.size();
        this.jitter = jitter;
        if (termStart.length < 2 || termStart[0] != 0 || termStart[termStart.length - 1] != m) {
            throw new IllegalArgumentException("term columns must run from 0 to " + m);
        }
        for (int t = 1; t < termStart.length; t++) {
            if (termStart[t] <= termStart[t - 1]) {
                throw new IllegalArgumentException("term columns must increase, got " + Arrays.toString(termStart));
            }
        }
        if (groups < 1 || folds < 1) {
            throw new IllegalArgumentException("need at least one group and one fold, got " + groups + ", " + folds);
        }
        this.termStart = termStart.clone();
        this.groups = groups;
        this.folds = folds;
        this.parts = new Part[groups * folds];
        this.rows = new long[groups * folds];
    }

    /** M, the number of sparse points. */
    public int sparseCount() {
        return m;
    }

    /** K, the number of folds. */
    public int folds() {
        return folds;
    }

    /** The number of groups. */
    public int groups() {
        return groups;
    }

    /** Whitens a design block in place: its kernel columns A become A U₀⁻¹ (the target column is kept). */
    public void whiten(DesignBlock block) {
        if (block.sparseCount() != m) {
            throw new IllegalArgumentException("block has " + block.sparseCount() + " sparse columns, expected " + m);
        }
        u0.multiplyInverseRight(block.matrix(), block.rows());
    }

    /**
     * Whitens kernel rows in place: each row k (row-major {@code count × M}, at δ⁰) becomes k U₀⁻¹, so that its
     * prediction is a dot product with {@link #weights}.
     */
    public void whitenRows(double[] kernelRows, int count) {
        u0.solveTransposedRows(kernelRows, count);
    }

    /**
     * Stores a group-fold's whitened data (its rows must have gone through {@link #whiten}).
     *
     * @throws IllegalStateException if the group-fold already has data
     */
    public void put(int group, int fold, GramAccumulator whitened) {
        int at = index(group, fold);
        if (whitened.sparseCount() != m) {
            throw new IllegalArgumentException("accumulator of " + whitened.sparseCount() + " sparse points, expected "
                    + m);
        }
        if (parts[at] != null) {
            throw new IllegalStateException("group " + group + ", fold " + fold + " already has its data");
        }
        if (whitened.rows() > 0) {
            parts[at] = whitened.part();
            rows[at] = whitened.rows();
        }
    }

    /** @return the number of rows of a group in a fold */
    public long rows(int group, int fold) {
        return rows[index(group, fold)];
    }

    /** @return the bytes of data held */
    public long bytes() {
        long b = 0;
        for (Part p : parts) {
            b += p == null ? 0 : p.bytes();
        }
        return b;
    }

    /**
     * The whitened weights γ = Dβ of the fit on every fold but {@code leftOut}: the prediction of a kernel row k
     * (at δ⁰, whitened by {@link #whitenRows}) is k·γ.
     *
     * @param leftOut the fold left out, or −1 for the fit on all folds
     * @param weight w_g ≥ 0 per group: the factor on the 1/σ² of its rows (1 = as whitened)
     * @param termScale d_t &gt; 0 per term: the factor on its δ² (1 = δ⁰)
     * @return γ, length M
     * @throws NotPositiveDefiniteException if the system is not numerically positive definite (only possible far
     *     from d = 1)
     */
    public double[] weights(int leftOut, double[] weight, double[] termScale) {
        double[] d = columnScale(termScale);
        double[] beta = solve(leftOut, weight, d);
        for (int j = 0; j < m; j++) {
            beta[j] *= d[j];
        }
        return beta;
    }

    /**
     * α of the fit on every fold but {@code leftOut} in the model's own terms: the weights of the kernel at the new δ
     * (k(δ)·α is the prediction), as a direct fit at these σ and δ gives them.
     */
    public double[] alpha(int leftOut, double[] weight, double[] termScale) {
        double[] beta = solve(leftOut, weight, columnScale(termScale));
        double[] alpha = new double[m];
        u0.solve(beta, alpha);
        return alpha;
    }

    private double[] solve(int leftOut, double[] weight, double[] d) {
        if (leftOut < -1 || leftOut >= folds) {
            throw new IllegalArgumentException("fold " + leftOut + " outside -1.." + (folds - 1));
        }
        if (weight.length != groups) {
            throw new IllegalArgumentException(weight.length + " group weights for " + groups + " groups");
        }
        double[] h = new double[m * m];
        boolean scaled = false;
        for (int j = 0; j < m; j++) {
            h[j + j * m] = d[j];
            scaled |= d[j] != 1.0;
        }
        if (scaled && jitter > 0) {
            double[] inv = inverseGram();
            for (int j = 0; j < m; j++) {
                double c = jitter * (d[j] - 1.0);
                for (int i = 0; i <= j; i++) {
                    h[i + j * m] -= c * inv[i + j * m];
                }
            }
        }
        double[] rhs = new double[m];
        for (int g = 0; g < groups; g++) {
            if (!(weight[g] >= 0) || !Double.isFinite(weight[g])) {
                throw new IllegalArgumentException("group weight " + g + " must be finite and ≥ 0, got " + weight[g]);
            }
            for (int f = 0; f < folds; f++) {
                Part p = parts[index(g, f)];
                if (f != leftOut && p != null && weight[g] > 0) {
                    p.addTo(h, rhs, m, weight[g], d);
                }
            }
        }
        TriangularFactor l = TriangularFactor.cholesky(h, m, 0.0);
        double[] beta = new double[m];
        l.solveTransposed(rhs, beta);
        l.solve(beta, beta);
        return beta;
    }

    private double[] columnScale(double[] termScale) {
        if (termScale.length != termStart.length - 1) {
            throw new IllegalArgumentException(termScale.length + " term scales for " + (termStart.length - 1)
                    + " terms");
        }
        double[] d = new double[m];
        for (int t = 0; t + 1 < termStart.length; t++) {
            if (!(termScale[t] > 0) || !Double.isFinite(termScale[t])) {
                throw new IllegalArgumentException("term scale " + t + " must be finite and > 0, got "
                        + termScale[t]);
            }
            Arrays.fill(d, termStart[t], termStart[t + 1], termScale[t]);
        }
        return d;
    }

    /** J = U₀⁻ᵀU₀⁻¹ = V ᵀV with V = U₀⁻¹ (upper triangle, column-major). */
    private synchronized double[] inverseGram() {
        if (inverse == null) {
            double[] v = new double[m * m];
            for (int i = 0; i < m; i++) {
                v[i + i * m] = 1.0;
            }
            u0.multiplyInverseRight(v, m); // I U₀⁻¹, column-major
            double[] j = new double[m * m];
            // J = U₀⁻ᵀU₀⁻¹ = (U₀⁻¹)ᵀ(U₀⁻¹): the Gram of the columns of V
            NativeLinearAlgebra.addGram(v, m, m, 1.0, j, m);
            inverse = j;
        }
        return inverse;
    }

    private int index(int group, int fold) {
        if (group < 0 || group >= groups || fold < 0 || fold >= folds) {
            throw new IllegalArgumentException("group " + group + ", fold " + fold + " outside " + groups + " × "
                    + folds);
        }
        return group * folds + fold;
    }
}
