/**
 * The input side of {@code soapstone fit}: gap_fit's command line ({@link org.soapstone.engine.fit.GapFitCommandLine}
 * → {@link org.soapstone.engine.fit.FitSettings}) and its training-file semantics
 * ({@link org.soapstone.engine.fit.TrainingSet}, {@link org.soapstone.engine.fit.TrainingFrame}): energies (eV),
 * forces (eV/Å), virials (eV, −stress × volume with ASE's stress sign) and their expected errors σ, and the per-atom
 * reference energies e0 (eV), all as GAP's {@code gap_fit} (Bartók et al., Phys. Rev. Lett. 104, 136403 (2010);
 * Bartók &amp; Csányi, Int. J. Quantum Chem. 115, 1051 (2015)) reads them.
 */
package org.soapstone.engine.fit;
