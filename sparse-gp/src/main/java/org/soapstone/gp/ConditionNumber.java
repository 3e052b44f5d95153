package org.soapstone.gp;

/**
 * The condition number of the least-squares problem a sparse GP fit solves, A = [Λ^{−1/2} K_NM ; U] (observations
 * over their σ, then the Cholesky factor of K_MM + jitter·I), from its triangular factor R (A = QR, so A and R have
 * the same singular values and the same 2-norm condition number): κ(R) = ‖R‖·‖R⁻¹‖ in the 1-norm or the ∞-norm,
 * with ‖R⁻¹‖ estimated by LAPACK's {@code dtrcon} (Higham's estimator; it never exceeds the true value and is
 * usually within a factor of a few of it). gap_fit's {@code condition_number_norm} estimates the same kind of
 * figure with {@code dgecon} from an LU factorisation of A itself, so the two agree in order of magnitude, not in
 * their digits.
 *
 * <p>Reference: N. J. Higham, ACM Trans. Math. Softw. 14, 381 (1988).
 */
public final class ConditionNumber {
    private ConditionNumber() {
    }

    /**
     * @param upper R, column-major m × m, upper triangular
     * @param m its order
     * @param infinityNorm true for the ∞-norm (gap_fit's {@code I}), false for the 1-norm ({@code O})
     * @return log₁₀ κ(R), as gap_fit prints it (−log₁₀ of the reciprocal condition number); +∞ for a singular R
     */
    public static double log10(double[] upper, int m, boolean infinityNorm) {
        if (m < 1 || upper.length != m * m) {
            throw new IllegalArgumentException("R must be m × m with m ≥ 1, got " + upper.length + " values for m = "
                    + m);
        }
        return -Math.log10(NativeLinearAlgebra.triangularReciprocalCondition(upper, m, infinityNorm ? 'I' : 'O'));
    }
}
