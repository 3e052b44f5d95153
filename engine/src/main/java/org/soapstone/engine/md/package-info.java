/**
 * Molecular dynamics in eV, Å, fs, amu and K.
 *
 * <p>An {@link org.soapstone.engine.md.MdSystem} holds the state (structure updated in place, calculator,
 * results at the current positions, step and time); an {@link org.soapstone.engine.md.Integrator} bound to it
 * advances it one step at a time with exactly one calculator call: {@link org.soapstone.engine.md.VelocityVerlet}
 * (NVE), {@link org.soapstone.engine.md.Langevin} (BAOAB),
 * {@link org.soapstone.engine.md.StochasticVelocityRescaling} (Bussi) and
 * {@link org.soapstone.engine.md.Berendsen}, the thermostats taking a
 * {@link org.soapstone.engine.md.TemperatureSchedule}. {@link org.soapstone.engine.md.MolecularDynamics} runs
 * the steps and calls {@link org.soapstone.engine.md.MdObserver}s ({@link org.soapstone.engine.md.ThermoLog},
 * {@link org.soapstone.engine.md.TrajectoryWriter}, stop conditions).
 * {@link org.soapstone.engine.md.MaxwellBoltzmann} draws initial velocities; {@link org.soapstone.engine.md.Units}
 * holds the constants and {@link org.soapstone.engine.md.Kinetics} the 3N − 3 degrees-of-freedom convention.
 * Positions are not wrapped into the cell during a run (as in ASE), so trajectories show unwrapped motion.
 */
package org.soapstone.engine.md;
