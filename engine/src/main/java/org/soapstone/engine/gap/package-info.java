/**
 * Gaussian Approximation Potentials (Bartók et al., Phys. Rev. Lett. 104, 136403 (2010)): the model
 * ({@link org.soapstone.engine.gap.GapModel}, {@link org.soapstone.engine.gap.GapTerm}), QUIP/gap_fit XML
 * reading and writing, Soapstone's own model file ({@link org.soapstone.engine.gap.GapModelFile}: a zip of JSON
 * metadata and NumPy arrays, with the posterior and provenance), and the readable reference calculator
 * ({@link org.soapstone.engine.gap.ReferenceGapCalculator}; the fast path is in {@code org.soapstone.engine.evaluator}).
 *
 * <p>Conventions, all QUIP's (GAP {@code gp_predict.f95}, QUIP {@code IPModel_GAP.f95}), checked against
 * {@code quip}'s own output in the tests:
 * <ul>
 *   <li>{@code signal_variance} in the XML is δ, not δ²: kernels carry δ².</li>
 *   <li>dot_product: k = δ² (x·x_s)^ζ c_s, with no f0; ard_se: k = (δ² exp(−½|(x − x_s)/θ|²) + f0²) c_s;
 *       c_s is the sparse point's {@code sparseCutoff}.</li>
 *   <li>An instance contributes f_c·e(x) with f_c its {@code covariance_cutoff} (1 for SOAP, the cosine cutoff of
 *       the pair for distance_2b), and forces include e(x)·∇f_c.</li>
 *   <li>distance_2b lists every pair from both of its atoms; QUIP gives half of each instance to each atom, so each
 *       atom's local energy is the sum over its pairs of one full pair energy — Soapstone gives each instance to its
 *       centre, which is the same number.</li>
 *   <li>The variance estimate uses K_MM without the sparse cutoffs for dot_product, with c_i c_j off the diagonal
 *       and c_i² on it for ard_se, plus r² = 0.001² on the diagonal; σ² = δ² + f0² + r² − kᵀK_MM⁻¹k, times f_c²
 *       per instance.</li>
 *   <li>The sparseX file holds the sparse points one after another, one value per line; the XML records its md5.</li>
 * </ul>
 */
package org.soapstone.engine.gap;
