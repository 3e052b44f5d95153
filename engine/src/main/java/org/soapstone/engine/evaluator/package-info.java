/**
 * The fast path of GAP models: {@link org.soapstone.engine.evaluator.FastGapCalculator} gives what the readable
 * {@link org.soapstone.engine.gap.ReferenceGapCalculator} gives (energies, forces, stress, per-atom energies), with
 * kernel products per block of atoms against sparse points stored once in panels, no allocation per step, each atom's local-energy σ in the same pass on
 * request, and a lower-level API on raw {@link java.lang.foreign.MemorySegment}s for simulators that embed
 * Soapstone. {@link org.soapstone.engine.gap.VarianceProjection} turns a sparse-GP posterior (or QUIP's variance
 * estimate) into a per-atom cost of one matrix product, exactly or as a conservative low-rank bound. Units: eV, Å.
 */
package org.soapstone.engine.evaluator;
