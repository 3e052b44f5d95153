package org.soapstone.gp;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/** Random test problems and independent dense references built from the kernels' scalar methods with EJML. */
final class Problems {

    private Problems() {
    }

    /** n random descriptors of dimension d, each normalised to unit length (as SOAP vectors are). */
    static double[] unitDescriptors(Random random, int n, int d) {
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0.0;
            for (int c = 0; c < d; c++) {
                // positive like single-species power spectra, so dot products are positive (a non-integer ζ needs it)
                x[i * d + c] = Math.abs(0.5 + random.nextGaussian() * 0.5);
                norm += x[i * d + c] * x[i * d + c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < d; c++) {
                x[i * d + c] /= norm;
            }
        }
        return x;
    }

    /**
     * A block of "structures": each a total energy over {@code atomsPer} environments plus {@code forcesPer} force-like
     * rows with random gradient directions on the same environments.
     */
    static ObservationBlock structures(Random random, int structures, int atomsPer, int forcesPer, int d) {
        ObservationBlock.Builder b = new ObservationBlock.Builder(d);
        double[] x = unitDescriptors(random, structures * atomsPer, d);
        double[] g = new double[d];
        for (int s = 0; s < structures; s++) {
            int first = -1;
            for (int a = 0; a < atomsPer; a++) {
                int e = b.environment(x, (s * atomsPer + a) * d);
                first = a == 0 ? e : first;
            }
            b.row(random.nextGaussian() * atomsPer, 0.01 * Math.sqrt(atomsPer), ObservationKind.ENERGY);
            for (int a = 0; a < atomsPer; a++) {
                b.value(first + a, 1.0);
            }
            for (int f = 0; f < forcesPer; f++) {
                b.row(random.nextGaussian(), 0.05, ObservationKind.FORCE);
                for (int a = 0; a < atomsPer; a++) {
                    if (random.nextBoolean()) {
                        for (int c = 0; c < d; c++) {
                            g[c] = 0.1 * random.nextGaussian();
                        }
                        b.gradient(first + a, g, 0);
                    }
                }
            }
        }
        return b.build();
    }

    /** Local-energy observations ε(x_i) = y_i, one row per environment. */
    static ObservationBlock localEnergies(double[] x, int d, double[] y, double sigma) {
        ObservationBlock.Builder b = new ObservationBlock.Builder(d);
        for (int i = 0; i < y.length; i++) {
            int e = b.environment(x, i * d);
            b.row(y[i], sigma, ObservationKind.ENERGY).value(e, 1.0);
        }
        return b.build();
    }

    /** Cov(L_r[ε], L'_s[ε]) from the kernel's scalar value, gradient and mixed second derivative. */
    static double covariance(Kernel k, ObservationBlock a, int r, ObservationBlock b, int s) {
        int d = a.dimension();
        double[] xa = a.descriptors();
        double[] xb = b.descriptors();
        double[] grad = new double[d];
        double sum = 0.0;
        for (int p = a.valueStart()[r]; p < a.valueStart()[r + 1]; p++) {
            int ea = a.valueEnv()[p];
            double wa = a.valueWeight()[p];
            for (int q = b.valueStart()[s]; q < b.valueStart()[s + 1]; q++) {
                sum += wa * b.valueWeight()[q] * k.value(xa, ea * d, xb, b.valueEnv()[q] * d, d);
            }
            for (int q = b.gradientStart()[s]; q < b.gradientStart()[s + 1]; q++) {
                k.gradient(xb, b.gradientEnv()[q] * d, xa, ea * d, d, grad, 0);
                sum += wa * DotProductKernel.dot(b.gradientVector(), q * d, grad, 0, d);
            }
        }
        for (int p = a.gradientStart()[r]; p < a.gradientStart()[r + 1]; p++) {
            int ea = a.gradientEnv()[p];
            for (int q = b.valueStart()[s]; q < b.valueStart()[s + 1]; q++) {
                k.gradient(xa, ea * d, xb, b.valueEnv()[q] * d, d, grad, 0);
                sum += b.valueWeight()[q] * DotProductKernel.dot(a.gradientVector(), p * d, grad, 0, d);
            }
            for (int q = b.gradientStart()[s]; q < b.gradientStart()[s + 1]; q++) {
                sum += k.mixedSecond(xa, ea * d, a.gradientVector(), p * d, xb, b.gradientEnv()[q] * d,
                        b.gradientVector(), q * d, d);
            }
        }
        return sum;
    }

    /** Dense covariance matrix between all rows of a and all rows of b. */
    static DMatrixRMaj covariance(Kernel k, ObservationBlock a, ObservationBlock b) {
        DMatrixRMaj c = new DMatrixRMaj(a.rows(), b.rows());
        for (int r = 0; r < a.rows(); r++) {
            for (int s = 0; s < b.rows(); s++) {
                c.set(r, s, covariance(k, a, r, b, s));
            }
        }
        return c;
    }

    /** The sparse points as value functionals (one row per point, w = 1), for dense references. */
    static ObservationBlock pointsAsFunctionals(SparsePoints p) {
        double[] zero = new double[p.size()];
        return localEnergies(p.points(), p.dimension(), zero, 1.0);
    }

    /** Concatenation of several blocks' targets. */
    static DMatrixRMaj targets(ObservationBlock... blocks) {
        int n = 0;
        for (ObservationBlock b : blocks) {
            n += b.rows();
        }
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        int i = 0;
        for (ObservationBlock b : blocks) {
            for (double t : b.target()) {
                y.set(i++, 0, t);
            }
        }
        return y;
    }
}
