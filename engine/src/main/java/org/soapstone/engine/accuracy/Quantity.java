package org.soapstone.engine.accuracy;

/**
 * The compared quantities, each with the unit its errors are accumulated in and the unit they are reported in:
 * energy per atom (eV/atom, reported in meV/atom), force components (eV/Å), virial per atom (eV/atom; six
 * independent components xx, yy, zz, yz, xz, xy) and stress (eV/Å³, six Voigt components; reported in GPa too).
 */
public enum Quantity {
    ENERGY("energy", "meV/atom", 1000.0),
    FORCES("forces", "eV/Å", 1.0),
    VIRIAL("virial", "eV/atom", 1.0),
    STRESS("stress", "eV/Å³", 1.0);

    private final String label;
    private final String reportUnit;
    private final double reportScale;

    Quantity(String label, String reportUnit, double reportScale) {
        this.label = label;
        this.reportUnit = reportUnit;
        this.reportScale = reportScale;
    }

    /** @return the quantity's name in reports */
    public String label() {
        return label;
    }

    /** @return the unit of reported errors */
    public String reportUnit() {
        return reportUnit;
    }

    /** @return the factor from the accumulated unit (eV/atom, eV/Å, eV/atom, eV/Å³) to the reported one */
    public double reportScale() {
        return reportScale;
    }
}
