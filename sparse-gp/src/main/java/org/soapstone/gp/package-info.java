/**
 * Sparse Gaussian-process regression that knows nothing of atoms: kernels on descriptor vectors
 * ({@link org.soapstone.gp.DotProductKernel}, {@link org.soapstone.gp.SquaredExponentialKernel}), observations as
 * linear functionals of a latent local energy ({@link org.soapstone.gp.ObservationBlock}: totals, force and virial
 * components), the projected-process (DTC) fit by a streamed QR that reduces blocks like a TSQR tree
 * ({@link org.soapstone.gp.DesignBlock}, {@link org.soapstone.gp.QrAccumulator},
 * {@link org.soapstone.gp.StreamedQrFit}), the fitted model ({@link org.soapstone.gp.SparseGpModel}) with
 * its kernel-independent posterior (weights, predictive variances, log marginal likelihood:
 * {@link org.soapstone.gp.SparseGpPosterior}) and its hyperparameter optimisation
 * ({@link org.soapstone.gp.HyperparameterOptimiser}). Every triangular factor — the Cholesky factor of K_MM, the R of
 * the QR — is a {@link org.soapstone.gp.TriangularFactor}, a solver that never forms an inverse. Sparse-point
 * selection is in {@code org.soapstone.gp.sparse}.
 *
 * <p>Dense linear algebra runs in OpenBLAS (bytedeco preset); small reductions stay in Java.
 *
 * <p>Reference: Deringer, Bartók, Bernstein, Wilkins, Ceriotti, Csányi, Chem. Rev. 121, 10073 (2021).
 */
package org.soapstone.gp;
