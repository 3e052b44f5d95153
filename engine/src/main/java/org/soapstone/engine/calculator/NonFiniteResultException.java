package org.soapstone.engine.calculator;

/**
 * A calculation gave a non-finite (NaN or infinite) energy, force, stress or per-atom energy: the structure is
 * outside what the energy model can describe, or the model is broken. Thrown by
 * {@link CalculationResults#requireFinite()}, so that no command writes or integrates such a number; the message
 * names what is not finite and the atoms concerned (1-based), e.g.
 * {@code the energy is NaN eV; the forces on atoms 1, 2 are not finite}.
 */
public final class NonFiniteResultException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** @param message what is not finite, and where */
    NonFiniteResultException(String message) {
        super(message);
    }
}
