package org.soapstone.potentials.tersoff;

import static org.soapstone.potentials.manybody.ParameterException.requireFinite;
import static org.soapstone.potentials.manybody.ParameterException.requireNonNegative;

import java.util.List;
import org.soapstone.potentials.manybody.ParameterException;

/**
 * One entry "el1 el2 el3 m γ λ₃ c d cosθ₀ n β λ₂ B R D λ₁ A" of a LAMMPS Tersoff file ({@code pair_style tersoff};
 * Tersoff, Phys. Rev. B 37, 6991 (1988) and 39, 5566 (1989)), in LAMMPS metal units, validated as LAMMPS
 * validates it: m is 1 or 3, D ≤ R, and c, d, n, β, λ₂, B, R, D, λ₁, A, γ are ≥ 0.
 *
 * <p>With i the central atom, the (i, j, j) entry gives the i–j bond: repulsion f_C A e^{−λ₁r}, attraction
 * −f_C B e^{−λ₂r} scaled by the bond order b_ij = (1 + (βζ)ⁿ)^{−1/2n} (with LAMMPS's asymptotic forms for very
 * large and very small βζ), and the cutoff f_C(r) = ½ − ½ sin(π(r − R)/2D) on R − D &lt; r &lt; R + D. The
 * (i, j, k) entry gives each neighbour k's share of ζ_ij = Σ_k f_C(r_ik) g(θ_ijk) exp((λ₃(r_ij − r_ik))^m) with
 * g(θ) = γ(1 + c²/d² − c²/(d² + (cosθ₀ − cosθ)²)) and f_C from that entry's R and D.
 *
 * @param m the exponent of λ₃(r_ij − r_ik): 1 or 3 (dimensionless)
 * @param gamma γ (dimensionless)
 * @param lambda3 λ₃ (1/Å)
 * @param c c (dimensionless)
 * @param d d (dimensionless)
 * @param cosTheta0 cosθ₀, LAMMPS's h (dimensionless)
 * @param n n (dimensionless)
 * @param beta β (dimensionless)
 * @param lambda2 λ₂ (1/Å)
 * @param bigB B (eV)
 * @param bigR R, the middle of the cutoff region (Å)
 * @param bigD D, the half-width of the cutoff region (Å)
 * @param lambda1 λ₁ (1/Å)
 * @param bigA A (eV)
 */
public record TersoffParameters(double m, double gamma, double lambda3, double c, double d, double cosTheta0,
        double n, double beta, double lambda2, double bigB, double bigR, double bigD, double lambda1, double bigA) {

    /** The names of the values after the three elements, in file order, as LAMMPS's documentation names them. */
    public static final List<String> FIELDS = List.of("m", "gamma", "lambda3", "c", "d", "costheta0", "n", "beta",
            "lambda2", "B", "R", "D", "lambda1", "A");

    public TersoffParameters {
        if (m != 1 && m != 3) {
            throw new ParameterException("m", "must be 1 or 3 (LAMMPS's convention), got " + m);
        }
        requireNonNegative("gamma", gamma);
        requireFinite("lambda3", lambda3);
        requireNonNegative("c", c);
        requireNonNegative("d", d);
        requireFinite("costheta0", cosTheta0);
        requireNonNegative("n", n);
        requireNonNegative("beta", beta);
        requireNonNegative("lambda2", lambda2);
        requireNonNegative("B", bigB);
        requireNonNegative("R", bigR);
        requireNonNegative("D", bigD);
        requireNonNegative("lambda1", lambda1);
        requireNonNegative("A", bigA);
        if (bigD > bigR) {
            throw new ParameterException("D", "must not exceed R = " + bigR + ", got " + bigD);
        }
    }

    /** @param v the values in file order ({@link #FIELDS}) */
    static TersoffParameters of(double[] v) {
        return new TersoffParameters(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                v[12], v[13]);
    }

    /** @return R + D (Å), beyond which this entry's terms vanish */
    public double cutoff() {
        return bigR + bigD;
    }
}
