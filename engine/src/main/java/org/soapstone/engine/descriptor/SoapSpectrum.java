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

        /**
         * The reverse mode of {@link #values}: from the gradient ∂ε/∂x of a function ε of the vector x the last
         * {@link #values} call gave (D values from {@code offset}; the σ0 component's is not read), the gradient
         * ∂ε/∂c_{lm,k} with respect to the expansion's coefficients, into {@code dc} at lm·stride + k (stride the
         * expansion's; padding lanes zero) — without forming ∂x/∂c.
         */
        void coefficientGradient(SphericalExpansion.Neighbourhood n, double[] dEpsilon, int offset, double[] dc);
    }

    /**
     * The reverse mode of the normalisation x = p/|p|: G = ∂ε/∂p = (g − x (x·g))/|p| = (g − p (p·g)/|p|²)/|p| from
     * g = ∂ε/∂x, or G = g without normalisation; p·g summed in component order.
     *
     * @param p the raw spectrum, d values
     * @param norm |p|
     * @param normalise whether x = p/|p|
     * @param dEpsilon g, d values from {@code offset}
     * @param g where G goes, d values
     */
    static void normalisationGradient(double[] p, double norm, boolean normalise, double[] dEpsilon, int offset,
            double[] g, int d) {
        if (!normalise) {
            System.arraycopy(dEpsilon, offset, g, 0, d);
            return;
        }
        double pg = 0;
        for (int k = 0; k < d; k++) {
            pg += p[k] * dEpsilon[offset + k];
        }
        double inv = 1 / norm;
        double along = pg * inv * inv;
        for (int k = 0; k < d; k++) {
            g[k] = (dEpsilon[offset + k] - p[k] * along) * inv;
        }
    }
}
