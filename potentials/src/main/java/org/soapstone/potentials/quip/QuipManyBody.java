package org.soapstone.potentials.quip;

import java.nio.file.Path;
import java.util.List;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Element;
import org.soapstone.potentials.manybody.TripletTable;
import org.soapstone.potentials.sw.StillingerWeber;
import org.soapstone.potentials.sw.SwParameters;
import org.soapstone.potentials.tersoff.Tersoff;
import org.soapstone.potentials.tersoff.TersoffParameters;

/**
 * QUIP's Stillinger–Weber ({@code SW_params}, {@code IPModel_SW.f95}) and Tersoff ({@code Tersoff_params},
 * {@code IPModel_Tersoff.f95}) parameter files, rewritten exactly as the LAMMPS-form element-triplet tables that
 * {@link StillingerWeber} and {@link Tersoff} evaluate.
 *
 * <p>SW: QUIP's pair φ₂ = ε₂ A (B (r/σ)^−p − (r/σ)^−q) exp(1/(r/σ − a)) and triplet
 * ε₃ λ exp(γ/(r_ij/σ_ij − a_ij) + γ/(r_ik/σ_ik − a_ik)) (cosθ + ⅓)² become the (i, j, j) entries
 * (ε₂, σ, a, A, B, p, q, λ·ε₃/ε₂, γ) and the (i, j, k) entries (λ, ε₃, γ), cosθ₀ = −⅓, tol = 0. LAMMPS takes each
 * leg's γ from the (i, j, j) entry, so QUIP's per-triplet γ must be the same for (i, j, k), (i, j, j) and (i, k, k);
 * otherwise the file is refused.
 *
 * <p>Tersoff (Tersoff 1989, PRB 39, 5566, with QUIP's mixing rules): per type A, B, λ, μ, β, n, c, d, h, R, S and per
 * pair χ; A_ij, B_ij, R_ij, S_ij geometric and λ_ij, μ_ij arithmetic means; bond i–j: the (i, j, j) entry with
 * A_ij, χ_ij B_ij, λ₁ = λ_ij, λ₂ = μ_ij, n, β of i, cutoff ½(1 + cos(π(r − R_ij)/(S_ij − R_ij))) — LAMMPS's R, D are
 * (R_ij + S_ij)/2, (S_ij − R_ij)/2 —; ζ term of neighbour k: the (i, j, k) entry with c, d, h of i, γ = 1, λ₃ = 0
 * and the cutoff of the pair (i, k).
 */
final class QuipManyBody {
    private QuipManyBody() {}

    static StillingerWeber stillingerWeber(QuipParameters p, String label, double skin, WorkerPool pool) {
        org.w3c.dom.Element root = p.potential("SW_params", label);
        List<Element> species = QuipLennardJones.types(p, root, "SW_params");
        int n = species.size();
        double[][] pair = new double[n * n][];
        double[][] triplet = new double[n * n * n][];
        for (org.w3c.dom.Element e : QuipParameters.children(root, "per_pair_data")) {
            int i = typeOf(p, e, "atnum_i", species);
            int j = typeOf(p, e, "atnum_j", species);
            double[] v = {p.real(e, "eps"), p.real(e, "sigma"), p.real(e, "a"), p.real(e, "AA"), p.real(e, "BB"),
                p.real(e, "p"), p.real(e, "q")};
            pair[i * n + j] = v;
            pair[j * n + i] = v;
        }
        for (org.w3c.dom.Element e : QuipParameters.children(root, "per_triplet_data")) {
            int i = typeOf(p, e, "atnum_c", species);
            int j = typeOf(p, e, "atnum_j", species);
            int k = typeOf(p, e, "atnum_k", species);
            double[] v = {p.real(e, "lambda"), p.real(e, "gamma"), p.real(e, "eps")};
            triplet[(i * n + j) * n + k] = v;
            triplet[(i * n + k) * n + j] = v;
        }
        SwParameters[] table = new SwParameters[n * n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    double[] ij = pair[i * n + j];
                    double[] t = triplet[(i * n + j) * n + k];
                    if (ij == null || t == null) {
                        throw new IllegalArgumentException(p.where(root) + ": no " + (ij == null ? "per_pair_data for "
                                + species.get(i).symbol() + "-" + species.get(j).symbol() : "per_triplet_data for "
                                + species.get(i).symbol() + " " + species.get(j).symbol() + " " + species.get(k).symbol()));
                    }
                    double gammaJ = triplet[(i * n + j) * n + j][1];
                    double gammaK = triplet[(i * n + k) * n + k][1];
                    if (t[1] != gammaJ || t[1] != gammaK) {
                        throw new IllegalArgumentException(p.where(root) + ": per_triplet_data gamma of "
                                + species.get(i).symbol() + " " + species.get(j).symbol() + " "
                                + species.get(k).symbol() + " differs from that of its legs; such a file cannot be "
                                + "evaluated (each leg's gamma must be the triplet's)");
                    }
                    double lambda;
                    double epsilon;
                    if (j == k) {
                        epsilon = ij[0];
                        if (epsilon == 0 && t[0] * t[2] != 0) {
                            throw new IllegalArgumentException(p.where(root) + ": per_pair_data eps of "
                                    + species.get(i).symbol() + "-" + species.get(j).symbol() + " is 0 but its "
                                    + "triplet's lambda*eps is not; such a file cannot be evaluated");
                        }
                        lambda = epsilon == 0 ? 0 : t[0] * t[2] / epsilon;
                    } else {
                        epsilon = t[2];
                        lambda = t[0];
                    }
                    table[(i * n + j) * n + k] = new SwParameters(epsilon, ij[1], ij[2], lambda, t[1], -1.0 / 3.0,
                            ij[3], ij[4], ij[5], ij[6], 0.0);
                }
            }
        }
        return new StillingerWeber(TripletTable.of(Path.of(p.source()), symbols(species), table), skin, pool);
    }

    static Tersoff tersoff(QuipParameters p, String label, double skin, WorkerPool pool) {
        org.w3c.dom.Element root = p.potential("Tersoff_params", label);
        List<Element> species = QuipLennardJones.types(p, root, "Tersoff_params");
        int n = species.size();
        String[] names = {"A", "B", "lambda", "mu", "beta", "n", "c", "d", "h", "R", "S"};
        double[][] type = new double[n][];
        for (org.w3c.dom.Element e : QuipParameters.children(root, "per_type_data")) {
            int t = QuipLennardJones.type(p, e, "type", n);
            type[t] = new double[names.length];
            for (int k = 0; k < names.length; k++) {
                type[t][k] = p.real(e, names[k]);
            }
        }
        double[] chi = new double[n * n];
        java.util.Arrays.fill(chi, Double.NaN);
        for (org.w3c.dom.Element e : QuipParameters.children(root, "per_pair_data")) {
            int a = QuipLennardJones.type(p, e, "type1", n);
            int b = QuipLennardJones.type(p, e, "type2", n);
            chi[a * n + b] = p.real(e, "chi");
            chi[b * n + a] = chi[a * n + b];
        }
        TersoffParameters[] table = new TersoffParameters[n * n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (Double.isNaN(chi[i * n + j])) {
                    throw new IllegalArgumentException(p.where(root) + ": no per_pair_data chi for types " + (i + 1)
                            + " and " + (j + 1));
                }
                double[] ti = type[i];
                double[] tj = type[j];
                double a = Math.sqrt(ti[0] * tj[0]);
                double b = chi[i * n + j] * Math.sqrt(ti[1] * tj[1]);
                double lambda1 = 0.5 * (ti[2] + tj[2]);
                double lambda2 = 0.5 * (ti[3] + tj[3]);
                for (int k = 0; k < n; k++) {
                    double[] tk = type[k];
                    double r = Math.sqrt(ti[9] * tk[9]);
                    double s = Math.sqrt(ti[10] * tk[10]);
                    table[(i * n + j) * n + k] = new TersoffParameters(3, 1.0, 0.0, ti[6], ti[7], ti[8], ti[5], ti[4],
                            lambda2, b, 0.5 * (r + s), 0.5 * (s - r), lambda1, a);
                }
            }
        }
        return new Tersoff(TripletTable.of(Path.of(p.source()), symbols(species), table), skin, pool);
    }

    private static int typeOf(QuipParameters p, org.w3c.dom.Element e, String attribute, List<Element> species) {
        int z = p.integer(e, attribute);
        for (int t = 0; t < species.size(); t++) {
            if (species.get(t).number() == z) {
                return t;
            }
        }
        throw new IllegalArgumentException(p.where(e) + ": " + attribute + "=" + z + " is not among the per_type_data");
    }

    private static List<String> symbols(List<Element> species) {
        return species.stream().map(Element::symbol).toList();
    }
}
