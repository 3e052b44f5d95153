package org.soapstone.potentials.sw;

import static org.soapstone.potentials.manybody.ParameterException.requireFinite;
import static org.soapstone.potentials.manybody.ParameterException.requireNonNegative;

import java.util.List;

/**
 * One entry "el1 el2 el3 ε σ a λ γ cosθ₀ A B p q tol" of a LAMMPS Stillinger–Weber file ({@code pair_style sw};
 * Stillinger &amp; Weber, Phys. Rev. B 31, 5262 (1985)), in LAMMPS metal units. Validated as LAMMPS validates it:
 * every value but cosθ₀ is ≥ 0.
 *
 * <p>The two-body term of an i–j pair uses the (i, j, j) entry:
 * φ₂(r) = A ε (B (σ/r)^p − (σ/r)^q) exp(σ / (r − aσ)). The three-body term of neighbours j, k of a central
 * atom i is λε (cosθ − cosθ₀)² exp(γσ / (r_ij − aσ)) exp(γσ / (r_ik − aσ)) with λ, ε, cosθ₀ from the (i, j, k)
 * entry and γ, σ, a of each leg from the (i, j, j) and (i, k, k) entries.
 *
 * @param epsilon ε, the energy scale (eV)
 * @param sigma σ, the length scale (Å)
 * @param a the cutoff in units of σ: terms vanish at r = aσ (dimensionless)
 * @param lambda λ, the three-body strength (dimensionless)
 * @param gamma γ, the three-body radial decay (dimensionless)
 * @param cosTheta0 cosθ₀, the preferred angle's cosine (dimensionless)
 * @param bigA A (dimensionless)
 * @param bigB B (dimensionless)
 * @param p the repulsive exponent (dimensionless)
 * @param q the attractive exponent (dimensionless)
 * @param tol LAMMPS's tolerance: if &gt; 0, pairs are cut off where the three-body exponential falls below it
 *     (capped at 0.01), slightly inside aσ; 0 for the exact potential (dimensionless)
 */
public record SwParameters(double epsilon, double sigma, double a, double lambda, double gamma, double cosTheta0,
        double bigA, double bigB, double p, double q, double tol) {

    /** The names of the values after the three elements, in file order, as LAMMPS's documentation names them. */
    public static final List<String> FIELDS =
            List.of("epsilon", "sigma", "a", "lambda", "gamma", "costheta0", "A", "B", "p", "q", "tol");

    public SwParameters {
        requireNonNegative("epsilon", epsilon);
        requireNonNegative("sigma", sigma);
        requireNonNegative("a", a);
        requireNonNegative("lambda", lambda);
        requireNonNegative("gamma", gamma);
        requireFinite("costheta0", cosTheta0);
        requireNonNegative("A", bigA);
        requireNonNegative("B", bigB);
        requireNonNegative("p", p);
        requireNonNegative("q", q);
        requireNonNegative("tol", tol);
    }

    /** @param v the values in file order ({@link #FIELDS}) */
    static SwParameters of(double[] v) {
        return new SwParameters(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    /** @return aσ (Å), where the potential vanishes */
    public double cutoff() {
        return a * sigma;
    }

    /**
     * @return the distance (Å) within which pairs are taken into account: aσ, shortened as LAMMPS does when
     *     {@link #tol} &gt; 0 (aσ + γσ / ln(tol) for γ &lt; 1, else aσ + σ / ln(tol), tol capped at 0.01)
     */
    public double pairCutoff() {
        if (tol <= 0) {
            return cutoff();
        }
        double t = Math.min(tol, 0.01);
        return cutoff() + (gamma < 1 ? gamma * sigma : sigma) / Math.log(t);
    }
}
