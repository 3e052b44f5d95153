package org.soapstone.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.structure.Structure;

/**
 * The one finite-difference checker every calculator's tests use: forces against −∂E/∂r and stress against
 * (1/V) ∂E/∂ε by central differences of the energy (ASE's {@code numeric_stress} convention: a symmetric strain,
 * ±h on both off-diagonal entries for a shear component).
 */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /** @return −∂E/∂r by central differences with step {@code h} (Å), 3 per atom (eV/Å) */
    public static double[] numericForces(Calculator calc, Structure s, double h) {
        Structure work = s.copy();
        double[] r = work.positions();
        double[] f = new double[r.length];
        for (int k = 0; k < r.length; k++) {
            double r0 = r[k];
            r[k] = r0 + h;
            double ep = energy(calc, work);
            r[k] = r0 - h;
            double em = energy(calc, work);
            r[k] = r0;
            f[k] = -(ep - em) / (2 * h);
        }
        return f;
    }

    /**
     * Central-difference Jacobian of a vector-valued function of the positions, for quantities other than the
     * energy (descriptors, cutoff weights).
     *
     * @param s the structure (not modified)
     * @param h the step (Å)
     * @param f the function; must return the same length for every displaced copy
     * @return ∂f_c/∂r_{a,k} at index (3a + k)·m + c, m = f(s).length (units of f per Å)
     */
    public static double[] numericJacobian(Structure s, double h, java.util.function.Function<Structure, double[]> f) {
        Structure work = s.copy();
        double[] r = work.positions();
        int m = f.apply(work).length;
        double[] jac = new double[r.length * m];
        for (int k = 0; k < r.length; k++) {
            double r0 = r[k];
            r[k] = r0 + h;
            double[] fp = f.apply(work);
            r[k] = r0 - h;
            double[] fm = f.apply(work);
            r[k] = r0;
            for (int c = 0; c < m; c++) {
                jac[k * m + c] = (fp[c] - fm[c]) / (2 * h);
            }
        }
        return jac;
    }

    /** @return (1/V) ∂E/∂ε by central differences with strain step {@code h}, Voigt order (eV/Å³) */
    public static double[] numericStress(Calculator calc, Structure s, double h) {
        double v = s.volume();
        int[][] voigt = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
        double[] stress = new double[6];
        for (int c = 0; c < 6; c++) {
            int i = voigt[c][0];
            int j = voigt[c][1];
            double ep = energy(calc, strained(s, i, j, h));
            double em = energy(calc, strained(s, i, j, -h));
            stress[c] = (ep - em) / ((i == j ? 2 : 4) * h * v);
        }
        return stress;
    }

    private static Structure strained(Structure s, int i, int j, double h) {
        double[] f = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        f[3 * i + j] += h;
        if (i != j) {
            f[3 * j + i] += h;
        }
        return deformed(s, f);
    }

    /**
     * @param f a row-major 3×3 deformation matrix F (dimensionless)
     * @return a copy of {@code s} with lattice vectors h·F and every position r (Å, a row) carried to r·F
     */
    public static Structure deformed(Structure s, double[] f) {
        Structure t = s.copy();
        t.setCell(s.cell().deformed(f));
        double[] r = t.positions();
        for (int a = 0; a < t.size(); a++) {
            double x = r[3 * a], y = r[3 * a + 1], z = r[3 * a + 2];
            for (int k = 0; k < 3; k++) {
                r[3 * a + k] = x * f[k] + y * f[3 + k] + z * f[6 + k];
            }
        }
        return t;
    }

    private static double energy(Calculator calc, Structure s) {
        CalculationResults res = new CalculationResults();
        calc.calculate(s, EnumSet.of(Property.ENERGY), res);
        return res.energy;
    }

    /** Asserts that analytic forces match finite differences to {@code tol} (eV/Å) in every component. */
    public static void assertForcesMatch(Calculator calc, Structure s, double h, double tol) {
        CalculationResults res = new CalculationResults();
        calc.calculate(s, EnumSet.of(Property.ENERGY, Property.FORCES), res);
        double[] num = numericForces(calc, s, h);
        for (int k = 0; k < num.length; k++) {
            assertEquals(num[k], res.forces[k], tol, "force component " + (k % 3) + " of atom " + k / 3);
        }
    }

    /** Asserts that the analytic stress matches finite differences to {@code tol} (eV/Å³) in every component. */
    public static void assertStressMatches(Calculator calc, Structure s, double h, double tol) {
        CalculationResults res = new CalculationResults();
        calc.calculate(s, EnumSet.of(Property.ENERGY, Property.STRESS), res);
        double[] num = numericStress(calc, s, h);
        for (int c = 0; c < 6; c++) {
            assertEquals(num[c], res.stress[c], tol, "stress Voigt component " + c);
        }
    }

    /** @return a copy of {@code s} with every position displaced by a uniform random amount in ±{@code amp} Å */
    public static Structure rattled(Structure s, double amp, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        Structure t = s.copy();
        double[] r = t.positions();
        for (int k = 0; k < r.length; k++) {
            r[k] += amp * (2 * rng.nextDouble() - 1);
        }
        return t;
    }
}
