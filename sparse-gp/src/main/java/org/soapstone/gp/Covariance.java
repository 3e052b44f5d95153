package org.soapstone.gp;

import java.util.Arrays;

/**
 * Covariances of observation functionals with the sparse points and with themselves, built from a kernel's batch
 * methods. Pure functions of their arguments (safe to run on any thread or Spark executor).
 */
public final class Covariance {

    /** Gradient terms contracted per matrix product: bounds the scratch memory to CHUNK_TERMS × M doubles. */
    static final int CHUNK_TERMS = 4096;

    private Covariance() {
    }

    /**
     * Cov(L_r[ε], ε(z_j)) for every row r and sparse point j: {@code rows × M} row-major, eV² (eV²/Å for forces).
     */
    public static double[] functionalRows(Kernel kernel, SparsePoints sparse, ObservationBlock obs) {
        int d = obs.dimension();
        if (sparse.dimension() != d) {
            throw new IllegalArgumentException("sparse points have dimension " + sparse.dimension() + ", observations " + d);
        }
        int m = sparse.size();
        int n = obs.environments();
        int rows = obs.rows();
        double[] z = sparse.raw();
        double[] kxz = new double[n * m];
        kernel.matrix(obs.descriptors(), n, z, m, d, kxz);
        double[] out = new double[rows * m];
        int[] valueStart = obs.valueStart();
        int[] valueEnv = obs.valueEnv();
        double[] valueWeight = obs.valueWeight();
        for (int r = 0; r < rows; r++) {
            for (int t = valueStart[r]; t < valueStart[r + 1]; t++) {
                double w = valueWeight[t];
                int from = valueEnv[t] * m;
                for (int j = 0; j < m; j++) {
                    out[r * m + j] += w * kxz[from + j];
                }
            }
        }
        int[] gradientStart = obs.gradientStart();
        if (gradientStart[rows] > 0) {
            double[] factors = new double[n * m];
            kernel.gradientFactors(obs.descriptors(), n, z, m, d, kxz, factors);
            double[] kg = new double[Math.min(CHUNK_TERMS, gradientStart[rows]) * m];
            // rows in runs whose gradient terms fit one chunk (a row with more terms is a run of its own)
            for (int r0 = 0; r0 < rows; ) {
                int r1 = r0 + 1;
                while (r1 < rows && gradientStart[r1 + 1] - gradientStart[r0] <= CHUNK_TERMS) {
                    r1++;
                }
                int t0 = gradientStart[r0];
                int terms = gradientStart[r1] - t0;
                if (terms > 0) {
                    if (kg.length < terms * m) {
                        kg = new double[terms * m];
                    }
                    kernel.gradientMatrix(obs.descriptors(), Arrays.copyOfRange(obs.gradientEnv(), t0, t0 + terms),
                            obs.gradientVector(), t0 * d, terms, z, m, d, factors, kg);
                    for (int r = r0; r < r1; r++) {
                        for (int t = gradientStart[r] - t0; t < gradientStart[r + 1] - t0; t++) {
                            for (int j = 0; j < m; j++) {
                                out[r * m + j] += kg[t * m + j];
                            }
                        }
                    }
                }
                r0 = r1;
            }
        }
        return out;
    }

    /** Var(L_r[ε]) under the prior: Σ over pairs of terms of the kernel and its derivatives, eV² (eV²/Å²). */
    public static double priorVariance(Kernel kernel, ObservationBlock obs, int r) {
        int d = obs.dimension();
        double[] x = obs.descriptors();
        int[] ve = obs.valueEnv();
        double[] vw = obs.valueWeight();
        int[] ge = obs.gradientEnv();
        double[] gv = obs.gradientVector();
        int v0 = obs.valueStart()[r];
        int v1 = obs.valueStart()[r + 1];
        int g0 = obs.gradientStart()[r];
        int g1 = obs.gradientStart()[r + 1];
        double sum = 0.0;
        for (int a = v0; a < v1; a++) {
            for (int b = v0; b < v1; b++) {
                sum += vw[a] * vw[b] * kernel.value(x, ve[a] * d, x, ve[b] * d, d);
            }
        }
        double[] grad = new double[d];
        for (int s = g0; s < g1; s++) {
            for (int a = v0; a < v1; a++) {
                kernel.gradient(x, ge[s] * d, x, ve[a] * d, d, grad, 0);
                sum += 2.0 * vw[a] * DotProductKernel.dot(gv, s * d, grad, 0, d);
            }
            for (int s2 = g0; s2 < g1; s2++) {
                sum += kernel.mixedSecond(x, ge[s] * d, gv, s * d, x, ge[s2] * d, gv, s2 * d, d);
            }
        }
        return sum;
    }
}
