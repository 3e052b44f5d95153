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
    }
}
