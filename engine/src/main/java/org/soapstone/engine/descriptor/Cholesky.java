package org.soapstone.engine.descriptor;

/** Cholesky factorisation S = L Lᵀ and solves with it, for the small symmetric matrices of a radial basis. */
final class Cholesky {
    private Cholesky() {}

    /**
     * @param a a symmetric positive-definite matrix, row-major n × n (not modified)
     * @param n its order
     * @return L, lower triangular, row-major, with zeros above the diagonal
     */
    static double[] factor(double[] a, int n) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= l[j * n + k] * l[j * n + k];
            }
            if (!(d > 0)) {
                throw new IllegalStateException("matrix is not positive definite (pivot " + j + " = " + d + ")");
            }
            double ljj = Math.sqrt(d);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double v = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    v -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = v / ljj;
            }
        }
        return l;
    }

    /** Solves (L Lᵀ) x = b in place ({@code b} becomes x). */
    static void solve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            double v = b[i];
            for (int k = 0; k < i; k++) {
                v -= l[i * n + k] * b[k];
            }
            b[i] = v / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double v = b[i];
            for (int k = i + 1; k < n; k++) {
                v -= l[k * n + i] * b[k];
            }
            b[i] = v / l[i * n + i];
        }
    }
}
