/**
 * The i-PI socket protocol (Kapil et al., Comput. Phys. Commun. 236, 214 (2019)), as i-PI, ASE's
 * {@code SocketIOCalculator}/{@code SocketClient} and LAMMPS {@code fix ipi} speak it: {@link IpiClient} makes any
 * {@link org.soapstone.engine.calculator.Calculator} a force provider for an external driver, and
 * {@link IpiCalculator} is a calculator that asks an external force provider. On the wire: 12-byte ASCII headers,
 * little-endian int32/float64 payloads in atomic units (Bohr, Hartree; ASE's constants, {@link IpiUnits}); in
 * Soapstone: eV, Å, eV/Å³.
 */
package org.soapstone.engine.ipi;
