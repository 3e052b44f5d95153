package org.soapstone.engine.gap;

import org.soapstone.engine.neighbour.NeighbourList;

/**
 * The per-atom force-σ proxy: what the local-energy variances an MD step computes anyway say about the error of
 * each force component, at no cost beyond a pass over the neighbour list. The force on atom a is
 * F_a = −Σ_i ∂ε_i/∂r_a over the local energies ε_i of a and of every atom i within the model's cutoff r_c, so its
 * uncertainty grows with theirs; the proxy's raw variance is the neighbourhood sum
 * <pre>  v_a = σ_ε,a² + Σ_{pairs (a, i), |r_ai| &lt; r_c} σ_ε,i²   (eV²)</pre>
 * over the latent local-energy variances σ_ε² (k** − kᵀK_MM⁻¹k + kᵀΣk, negative rounding taken as 0; a periodic
 * image counts once per pair), each bounded from above through the {@link VarianceProjection} of the posterior's
 * r leading eigenpairs: σ_ε,r² ≥ σ_ε². The bound costs r·M multiply-adds per atom instead of the exact M²/2; the
 * fit's cross-validation computes it from each fold's posterior at every rank of {@link #candidateRanks} (one
 * product gives them all) and keeps the smallest whose held-out likelihood is within {@value #NLL_TOLERANCE} nats per
 * force component of the exact variances' (mlearn Si, M = 1000: r = 100 ranks the test errors at Spearman ρ 0.570,
 * as the exact variance does; Ni, M = 4000, needs more: ρ 0.28 at r = 100, 0.69 at 400, 0.76 exact),
 * the calibration below is fitted on that bound,
 * and the calibrated variance of each of the atom's force components is σ_F² = s_w²·v_a + s_n²·σ_n² (eV²/Å²), with
 * (s_w, s_n) fitted by the model's cross-validation on held-out force errors ({@link SigmaCalibration#forceProxy()})
 * and σ_n the fit's default force noise. s_w carries the unit 1/Å: it is the inverse length over which a local
 * energy's error varies.
 *
 * <p>Measured on the held-out mlearn test sets (published settings, {@code eval --sigma=proxy} against
 * {@code --sigma}; bench/RESULTS.md): Si forces 71.4 % / 94.6 % within 1σ / 2σ, rms z 0.99, Spearman ρ 0.57, NLL
 * −0.89 (exact force σ: 68.6 % / 93.7 %, 1.06, 0.59, −0.98); Li 70.4 % / 95.4 %, 0.99, 0.38 (exact: 67.2 % / 93.7 %,
 * 1.06, 0.39).
 */
public final class ForceSigmaProxy {
    /** How much worse (nats per force component) the held-out likelihood of a cheaper rank may be than the exact. */
    public static final double NLL_TOLERANCE = 0.02;
    /** The smallest rank tried; each next one doubles it. */
    private static final int FIRST_RANK = 50;

    private ForceSigmaProxy() {
    }

    /**
     * @param sparseCount M, the model's sparse points over all terms (≥ 1)
     * @return the ranks the fit tries for the proxy's variance projection, ascending: 50, 100, 200, … below M,
     *     then M (exact)
     */
    public static int[] candidateRanks(int sparseCount) {
        java.util.List<Integer> ranks = new java.util.ArrayList<>();
        for (int r = FIRST_RANK; r < sparseCount; r *= 2) {
            ranks.add(r);
        }
        ranks.add(sparseCount);
        return ranks.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param nll the held-out mean negative log-likelihood at each of the {@link #candidateRanks}, the last exact
     * @return the index of the smallest rank whose NLL is within {@value #NLL_TOLERANCE} of the exact one's
     */
    public static int chooseRank(double[] nll) {
        double bound = nll[nll.length - 1] + NLL_TOLERANCE;
        for (int j = 0; j < nll.length; j++) {
            if (nll[j] <= bound) {
                return j;
            }
        }
        return nll.length - 1;
    }

    /**
     * The raw proxy variances v_a.
     *
     * @param list a full neighbour list of the atoms (its cutoff may exceed {@code cutoff}: a Verlet list's skin)
     * @param cutoff the model's cutoff r_c (Å): pairs at this distance or farther are left out
     * @param localVariance the latent local-energy variance of each atom (eV²), N values
     * @param out N values to fill (eV²)
     */
    public static void neighbourhoodVariance(NeighbourList list, double cutoff, double[] localVariance,
            double[] out) {
        int n = list.atoms();
        for (int a = 0; a < n; a++) {
            double v = Math.max(0, localVariance[a]);
            for (int p = list.first[a]; p < list.first[a + 1]; p++) {
                if (list.distance[p] < cutoff) {
                    v += Math.max(0, localVariance[list.neighbour[p]]);
                }
            }
            out[a] = v;
        }
    }
}
