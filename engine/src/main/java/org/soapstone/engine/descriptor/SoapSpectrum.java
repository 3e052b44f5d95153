package org.soapstone.engine.descriptor;

/**
 * The invariants a SOAP descriptor forms from one centre's {@link SphericalExpansion}: QUIP's power spectrum
 * ({@link PowerSpectrum}) or its compressed form ({@link CompressedPowerSpectrum}). Immutable and thread-safe; an
 * {@link Evaluation} per thread holds one centre's results and scratch.
 */
interface SoapSpectrum {
    /** @return D, the length of the descriptor vector with its σ0 component */
    int dimension();

    /** @return a new per-thread evaluation */
    Evaluation newEvaluation();

    /** One thread's evaluation: the values of an expansion, then, if asked, their gradients. */
    interface Evaluation {
        /**
         * Writes the descriptor vector x of the expansion's coefficients (normalised if asked, then σ0) to
         * {@code out} from {@code offset}, and keeps what {@link #gradients} needs.
         */
        void values(SphericalExpansion.Neighbourhood n, double[] out, int offset);

        /**
         * Writes ∂x/∂r of the vector the last {@link #values} call gave, through the neighbour factors of
         * {@code n} (computed with derivatives; its coefficients those {@link #values} read): the centre's three
         * rows (x, y, z; D values each) at {@code row0}, minus the sum of the neighbours', then each neighbour's
         * three rows, in neighbour order.
         */
        void gradients(SphericalExpansion.Neighbourhood n, double[] grad, int row0);

        /** @return |p|, the norm of the raw spectrum of the last {@link #values} call */
        double norm();

        /**
         * The reverse mode of {@link #values}: from the gradient ∂ε/∂x of a function ε of the vector x that
         * {@link #values} gives for the coefficients {@code coeff} (D values from {@code offset}; the σ0 component's
         * is not read), the gradient ∂ε/∂c_{lm,k} with respect to the coefficients, into {@code dc} at
         * lm·stride + k (stride the expansion's; padding lanes zero) — without forming ∂x/∂c.
         *
         * @param coeff the coefficients c_{lm,k} at {@code coeffOffset} + lm·stride + k
         * @param x their vector x, as {@link #values} wrote it, from {@code xOffset}
         * @param norm their |p| ({@link #norm()})
         */
        void coefficientGradient(double[] coeff, int coeffOffset, double[] x, int xOffset, double norm,
                double[] dEpsilon, int offset, double[] dc);
    }

    /**
     * The reverse mode of the normalisation x = p/|p|: G = ∂ε/∂p = (g − x (x·g))/|p| from g = ∂ε/∂x, or G = g
     * without normalisation; x·g as {@link #dot} sums it.
     *
     * @param x the vector x, d values from {@code xOffset}
     * @param norm |p|
     * @param normalise whether x = p/|p|
     * @param dEpsilon g, d values from {@code offset}
     * @param g where G goes, d values
     */
    static void normalisationGradient(double[] x, int xOffset, double norm, boolean normalise, double[] dEpsilon,
            int offset, double[] g, int d) {
        if (!normalise) {
            System.arraycopy(dEpsilon, offset, g, 0, d);
            return;
        }
        double xg = dot(x, xOffset, dEpsilon, offset, d);
        double inv = 1 / norm;
        for (int k = 0; k < d; k++) {
            g[k] = (dEpsilon[offset + k] - x[xOffset + k] * xg) * inv;
        }
    }

    /**
     * Σ_k a_k b_k over d components, as eight partial sums (component k into sum k mod 8, the last d mod 8 into the
     * first) added pairwise at the end: a fixed order whatever the vector width, eight chains in flight instead of
     * one.
     */
    static double dot(double[] a, int aOffset, double[] b, int bOffset, int d) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int k = 0;
        for (; k + 8 <= d; k += 8) {
            s0 += a[aOffset + k] * b[bOffset + k];
            s1 += a[aOffset + k + 1] * b[bOffset + k + 1];
            s2 += a[aOffset + k + 2] * b[bOffset + k + 2];
            s3 += a[aOffset + k + 3] * b[bOffset + k + 3];
            s4 += a[aOffset + k + 4] * b[bOffset + k + 4];
            s5 += a[aOffset + k + 5] * b[bOffset + k + 5];
            s6 += a[aOffset + k + 6] * b[bOffset + k + 6];
            s7 += a[aOffset + k + 7] * b[bOffset + k + 7];
        }
        for (; k < d; k++) {
            s0 += a[aOffset + k] * b[bOffset + k];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
