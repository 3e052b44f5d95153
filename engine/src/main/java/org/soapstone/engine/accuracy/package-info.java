/**
 * How good a model is against reference data, in the form gap_fit/QUIP users know: per-frame reference values read
 * before a calculation ({@link org.soapstone.engine.accuracy.FrameReference}), errors of energy per atom, force
 * components, virial per atom and stress, overall and per {@code config_type}
 * ({@link org.soapstone.engine.accuracy.ErrorStatistics}), and the calibration of predicted standard deviations
 * ({@link org.soapstone.engine.accuracy.Calibration}, {@link org.soapstone.engine.accuracy.PredictedSigma}).
 * Units: eV, Å; stress eV/Å³ with ASE's sign; virial = −stress × volume (eV).
 */
package org.soapstone.engine.accuracy;
