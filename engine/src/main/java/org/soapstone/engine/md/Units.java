package org.soapstone.engine.md;

/**
 * Physical constants and unit conversions for molecular dynamics in eV, Å, fs, amu and K.
 *
 * <p>Everything is derived from CODATA 2018 (the 2019 SI): the elementary charge e = 1.602176634e-19 C and the
 * Boltzmann constant k = 1.380649e-23 J/K are exact, the atomic mass constant is
 * m_u = 1.66053906660e-27 kg. These are the values of ASE's {@code ase.units.create_units('2018')}; LAMMPS
 * {@code units metal} and ASE 3.22's default (CODATA 2014) differ in the 8th or 9th digit.
 *
 * <ul>
 *   <li>{@link #BOLTZMANN} = k/e = 8.617333262e-5 eV/K.
 *   <li>{@link #ACCELERATION}: a force F (eV/Å) on a mass m (amu) gives an acceleration F/m · e/(m_u · 1 Å) in
 *       m/s²; one m/s² is 1e10 Å / 1e30 fs² = 1e-20 Å/fs², so the factor is e/m_u · 1e10 · 1e-20 =
 *       e/m_u · 1e-10 = 9.6485332157e-3 (Å/fs²)/(eV/Å/amu) (the often-quoted 9.648533212e-3 is the Faraday
 *       constant · 1e-7, which takes the molar mass constant as exactly 1 g/mol; since 2019 it is
 *       0.99999999965 g/mol). Its inverse converts amu·Å²/fs² to eV, so a
 *       kinetic energy is ½ m v² / ACCELERATION eV for m in amu and v in Å/fs.
 *   <li>{@link #EV_PER_A3_TO_GPA}: 1 eV/Å³ = e · 1e30 Pa = e · 1e21 GPa = 160.2176634 GPa.
 * </ul>
 */
public final class Units {
    /** Elementary charge (C), exact in the 2019 SI. */
    public static final double ELEMENTARY_CHARGE = 1.602176634e-19;
    /** Boltzmann constant (J/K), exact in the 2019 SI. */
    public static final double BOLTZMANN_SI = 1.380649e-23;
    /** Atomic mass constant (kg), CODATA 2018. */
    public static final double ATOMIC_MASS_CONSTANT = 1.66053906660e-27;

    /** Boltzmann constant k_B (eV/K). */
    public static final double BOLTZMANN = BOLTZMANN_SI / ELEMENTARY_CHARGE;
    /** Multiplies a force/mass in (eV/Å)/amu to give an acceleration in Å/fs² (≈ 9.6485332157e-3). */
    public static final double ACCELERATION = ELEMENTARY_CHARGE / ATOMIC_MASS_CONSTANT * 1e-10;
    /** Multiplies a pressure or stress in eV/Å³ to give GPa (≈ 160.2176634). */
    public static final double EV_PER_A3_TO_GPA = ELEMENTARY_CHARGE * 1e21;

    private Units() {}
}
