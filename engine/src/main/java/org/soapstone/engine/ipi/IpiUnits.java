package org.soapstone.engine.ipi;

/**
 * The atomic units of the i-PI wire format, with the constants ASE 3.22 uses ({@code ase.units.Bohr},
 * {@code ase.units.Ha}, CODATA 2014), so what ASE sends and receives converts back bit for bit. LAMMPS's
 * {@code fix ipi} uses 0.52917721 Å and 27.21138575 eV, ~1e-8 relative off these.
 */
public final class IpiUnits {
    /** One Bohr in Å. */
    public static final double BOHR = 0.5291772105638411;
    /** One Hartree in eV. */
    public static final double HARTREE = 27.211386024367243;
    /** One Hartree/Bohr in eV/Å. */
    public static final double HARTREE_PER_BOHR = HARTREE / BOHR;

    private IpiUnits() {}
}
