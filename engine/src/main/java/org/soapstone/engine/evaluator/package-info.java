/**
 * The step-loop evaluator of GAP models: {@link org.soapstone.engine.evaluator.ForceEvaluator} keeps positions,
 * forces, per-atom energies and deviations off-heap and allocates nothing per step; it is a
 * {@link org.soapstone.engine.calculator.Calculator} and has a lower-level API on raw
 * {@link java.lang.foreign.MemorySegment}s for simulators that embed Soapstone.
 * {@link org.soapstone.engine.evaluator.VarianceProjection} turns a sparse-GP posterior (or QUIP's variance estimate)
 * into a per-atom cost of one matrix product, exactly or as a conservative low-rank bound. Units: eV, Å.
 */
package org.soapstone.engine.evaluator;
