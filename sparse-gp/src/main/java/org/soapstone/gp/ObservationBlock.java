package org.soapstone.gp;

import java.util.Arrays;

/**
 * A block of observations, each a linear functional of the latent local energy ε(x) (eV) over a set of local
 * environments with dimensionless descriptors x_e:
 * <pre>  L_r[ε] = Σ_t w_t ε(x_{e_t}) + Σ_s g_s · ∂ε/∂x (x_{e_s})</pre>
 * A total energy has value terms with w = 1 over its atoms; a force component F_{jα} = −∂E/∂r_{jα} has gradient terms
 * g = −∂x_i/∂r_{jα} (Å⁻¹) over the environments i that move with atom j; a virial component has
 * g = −Σ_j r_{jβ} ∂x_i/∂r_{jα}. Nothing here knows about atoms: the caller computes w and g.
 *
 * <p>Terms are stored in compressed rows: the value terms of row r are {@code valueStart[r] .. valueStart[r+1]},
 * the gradient terms {@code gradientStart[r] .. gradientStart[r+1]}; {@code gradientVector} holds d numbers per
 * gradient term. Build one with {@link Builder}.
 *
 * @param dimension      descriptor dimension d
 * @param descriptors    environments, {@code environments × d} row-major
 * @param target         observed value per row (eV, eV/Å or eV by kind)
 * @param sigma          noise standard deviation per row, same unit as the target (&gt; 0)
 * @param kind           what each row measures
 * @param valueStart     row pointers into the value terms ({@code rows + 1})
 * @param valueEnv       environment of each value term
 * @param valueWeight    weight w of each value term (dimensionless)
 * @param gradientStart  row pointers into the gradient terms ({@code rows + 1})
 * @param gradientEnv    environment of each gradient term
 * @param gradientVector direction g of each gradient term, d per term (Å⁻¹ for forces)
 */
public record ObservationBlock(int dimension, double[] descriptors, double[] target, double[] sigma,
                               ObservationKind[] kind,
                               int[] valueStart, int[] valueEnv, double[] valueWeight,
                               int[] gradientStart, int[] gradientEnv, double[] gradientVector) {

    public ObservationBlock {
        if (dimension < 1) {
            throw new IllegalArgumentException("descriptor dimension must be >= 1, got " + dimension);
        }
        if (descriptors.length % dimension != 0) {
            throw new IllegalArgumentException("descriptors length " + descriptors.length + " is not a multiple of " + dimension);
        }
        int rows = target.length;
        int environments = descriptors.length / dimension;
        if (sigma.length != rows || kind.length != rows || valueStart.length != rows + 1 || gradientStart.length != rows + 1) {
            throw new IllegalArgumentException("sigma, kind and row pointers must match " + rows + " rows");
        }
        for (int r = 0; r < rows; r++) {
            if (!(sigma[r] > 0) || !Double.isFinite(sigma[r])) {
                throw new IllegalArgumentException("sigma of row " + r + " must be positive and finite, got " + sigma[r]);
            }
            if (!Double.isFinite(target[r])) {
                throw new IllegalArgumentException("target of row " + r + " is not finite");
            }
        }
        checkPointers(valueStart, valueEnv.length, "value");
        checkPointers(gradientStart, gradientEnv.length, "gradient");
        if (valueWeight.length != valueEnv.length || gradientVector.length != gradientEnv.length * dimension) {
            throw new IllegalArgumentException("term arrays disagree in length");
        }
        for (int e : valueEnv) {
            checkEnvironment(e, environments);
        }
        for (int e : gradientEnv) {
            checkEnvironment(e, environments);
        }
    }

    /** Number of observations (rows). */
    public int rows() {
        return target.length;
    }

    /** Number of environments. */
    public int environments() {
        return descriptors.length / dimension;
    }

    private static void checkPointers(int[] start, int terms, String name) {
        if (start[0] != 0 || start[start.length - 1] != terms) {
            throw new IllegalArgumentException(name + " row pointers must run from 0 to " + terms);
        }
        for (int r = 1; r < start.length; r++) {
            if (start[r] < start[r - 1]) {
                throw new IllegalArgumentException(name + " row pointers decrease at row " + r);
            }
        }
    }

    private static void checkEnvironment(int e, int environments) {
        if (e < 0 || e >= environments) {
            throw new IllegalArgumentException("environment index " + e + " outside 0.." + (environments - 1));
        }
    }

    /** Assembles an {@link ObservationBlock} row by row. Not thread-safe. */
    public static final class Builder {
        private final int d;
        private double[] descriptors = new double[64];
        private int environments;
        private double[] target = new double[16];
        private double[] sigma = new double[16];
        private ObservationKind[] kind = new ObservationKind[16];
        private int rows;
        private int[] valueStart = new int[17];
        private int[] valueEnv = new int[16];
        private double[] valueWeight = new double[16];
        private int values;
        private int[] gradientStart = new int[17];
        private int[] gradientEnv = new int[16];
        private double[] gradientVector = new double[64];
        private int gradients;

        /** @param dimension descriptor dimension d */
        public Builder(int dimension) {
            if (dimension < 1) {
                throw new IllegalArgumentException("descriptor dimension must be >= 1, got " + dimension);
            }
            this.d = dimension;
        }

        /** Adds an environment with descriptor {@code x[offset .. offset+d)} and returns its index. */
        public int environment(double[] x, int offset) {
            descriptors = grow(descriptors, (environments + 1) * d);
            System.arraycopy(x, offset, descriptors, environments * d, d);
            return environments++;
        }

        /** Starts a new observation: its value (eV, eV/Å), noise σ (same unit) and kind. */
        public Builder row(double value, double noise, ObservationKind what) {
            if (rows + 2 > valueStart.length) {
                int n = 2 * valueStart.length;
                valueStart = Arrays.copyOf(valueStart, n);
                gradientStart = Arrays.copyOf(gradientStart, n);
                target = Arrays.copyOf(target, n);
                sigma = Arrays.copyOf(sigma, n);
                kind = Arrays.copyOf(kind, n);
            }
            target[rows] = value;
            sigma[rows] = noise;
            kind[rows] = what;
            rows++;
            valueStart[rows] = values;
            gradientStart[rows] = gradients;
            return this;
        }

        /** Adds w·ε(x_env) to the current observation. */
        public Builder value(int env, double weight) {
            requireRow();
            valueEnv = grow(valueEnv, values + 1);
            valueWeight = grow(valueWeight, values + 1);
            valueEnv[values] = env;
            valueWeight[values] = weight;
            valueStart[rows] = ++values;
            return this;
        }

        /** Adds g·∂ε/∂x (x_env) to the current observation, g = {@code g[offset .. offset+d)}. */
        public Builder gradient(int env, double[] g, int offset) {
            requireRow();
            gradientEnv = grow(gradientEnv, gradients + 1);
            gradientVector = grow(gradientVector, (gradients + 1) * d);
            gradientEnv[gradients] = env;
            System.arraycopy(g, offset, gradientVector, gradients * d, d);
            gradientStart[rows] = ++gradients;
            return this;
        }

        /** The block built so far. */
        public ObservationBlock build() {
            return new ObservationBlock(d, Arrays.copyOf(descriptors, environments * d), Arrays.copyOf(target, rows),
                    Arrays.copyOf(sigma, rows), Arrays.copyOf(kind, rows),
                    Arrays.copyOf(valueStart, rows + 1), Arrays.copyOf(valueEnv, values), Arrays.copyOf(valueWeight, values),
                    Arrays.copyOf(gradientStart, rows + 1), Arrays.copyOf(gradientEnv, gradients),
                    Arrays.copyOf(gradientVector, gradients * d));
        }

        private void requireRow() {
            if (rows == 0) {
                throw new IllegalStateException("call row(...) before adding terms");
            }
        }

        private static double[] grow(double[] a, int size) {
            return size <= a.length ? a : Arrays.copyOf(a, Math.max(size, 2 * a.length));
        }

        private static int[] grow(int[] a, int size) {
            return size <= a.length ? a : Arrays.copyOf(a, Math.max(size, 2 * a.length));
        }
    }
}
