package org.soapstone.engine.accuracy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/** Error statistics on hand-computed cases. */
class ErrorStatisticsTest {
    private static final double TOL = 1e-12;

    private static int[] silicon(int atoms) {
        int[] z = new int[atoms];
        java.util.Arrays.fill(z, 14);
        return z;
    }

    private static Structure frame(int atoms, double cubicCell) {
        return new Structure(silicon(atoms), new double[3 * atoms], Cell.cubic(cubicCell));
    }

    private static CalculationResults prediction(int atoms, double energy, double[] forces, double[] stress) {
        CalculationResults r = new CalculationResults();
        r.reset(atoms);
        EnumSet<Property> done = EnumSet.noneOf(Property.class);
        if (!Double.isNaN(energy)) {
            r.energy = energy;
            done.add(Property.ENERGY);
        }
        if (forces != null) {
            System.arraycopy(forces, 0, r.forces, 0, forces.length);
            done.add(Property.FORCES);
        }
        if (stress != null) {
            System.arraycopy(stress, 0, r.stress, 0, 6);
            done.add(Property.STRESS);
        }
        r.markComputed(done);
        return r;
    }

    /**
     * Frame 1 ("a", 2 atoms): energy error +0.2 eV = +0.1 eV/atom, force errors 0.1 and −0.2; frame 2 (no
     * config_type, 4 atoms): energy error −1.2 eV = −0.3 eV/atom, one force error 0.4.
     */
    private static ErrorStatistics twoFrames(boolean withSigma) {
        ErrorStatistics stats = new ErrorStatistics(ReferenceNames.DEFAULTS, 100);
        Structure a = frame(2, 10);
        a.info().put("config_type", "a");
        a.info().put("energy", -10.0);
        a.setProperty("forces", AtomProperty.real(3, new double[6]));
        double[] fa = {0.1, 0, 0, 0, -0.2, 0};
        stats.add(FrameReference.read(a, ReferenceNames.DEFAULTS), prediction(2, -9.8, fa, null),
                withSigma ? sigma(2, 0.3, 0.15) : null);
        Structure b = frame(4, 10);
        b.info().put("energy", -20.0);
        double[] fbRef = new double[12];
        for (int k = 0; k < 12; k++) {
            fbRef[k] = 0.5 * k - 1;
        }
        b.setProperty("forces", AtomProperty.real(3, fbRef.clone()));
        double[] fb = fbRef.clone();
        fb[7] += 0.4;
        stats.add(FrameReference.read(b, ReferenceNames.DEFAULTS), prediction(4, -21.2, fb, null),
                withSigma ? sigma(4, 0.8, 0.15) : null);
        return stats;
    }

    private static PredictedSigma sigma(int atoms, double energy, double force) {
        return new PredictedSigma(new double[atoms], energy, filled(3 * atoms, force), null,
                PredictedSigma.Kind.OBSERVED);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void maeRmseAndMaxOfTwoFramesAreTheHandValues() {
        GroupErrors all = twoFrames(false).overall();
        ErrorAccumulator e = all.errors(Quantity.ENERGY);
        assertEquals(2, e.count());
        assertEquals(0.2, e.mae(), TOL);
        assertEquals(Math.sqrt((0.01 + 0.09) / 2), e.rmse(), TOL);
        assertEquals(0.3, e.max(), TOL);
        ErrorAccumulator f = all.errors(Quantity.FORCES);
        assertEquals(18, f.count());
        assertEquals(0.7 / 18, f.mae(), TOL);
        assertEquals(Math.sqrt((0.01 + 0.04 + 0.16) / 18), f.rmse(), TOL);
        assertEquals(0.4, f.max(), TOL);
        assertEquals(0, all.errors(Quantity.VIRIAL).count(), "no frame has a virial or stress reference");
        assertEquals(0, all.energyCalibration().count(), "no σ given");
    }

    @Test
    void framesAreGroupedByConfigTypeAndFramesWithoutOneAreDefault() {
        ErrorStatistics stats = twoFrames(false);
        assertEquals(List.of("a", "default"), List.copyOf(stats.groups().keySet()));
        GroupErrors a = stats.groups().get("a");
        assertEquals(0.1, a.errors(Quantity.ENERGY).mae(), TOL);
        assertEquals(6, a.errors(Quantity.FORCES).count());
        assertEquals(0.3 / 6, a.errors(Quantity.FORCES).mae(), TOL);
        GroupErrors d = stats.groups().get("default");
        assertEquals(0.3, d.errors(Quantity.ENERGY).rmse(), TOL);
        assertEquals(Math.sqrt(0.16 / 12), d.errors(Quantity.FORCES).rmse(), TOL);
        assertArrayEquals(new double[] {-20.0 / 4}, d.energyParity().x(), TOL);
        assertArrayEquals(new double[] {-21.2 / 4}, d.energyParity().y(), TOL);
        assertEquals(12, d.forceParity().size());
        assertEquals(0, stats.overall().forceParity().size(), "the overall group keeps no plot points");
    }

    @Test
    void coverageCountsErrorsWithinOneAndTwoSigma() {
        GroupErrors all = twoFrames(true).overall();
        // energy: |0.1| ≤ σ = 0.3/2 per atom; |0.3| > 0.8/4 = 0.2 but ≤ 0.4
        assertEquals(2, all.energyCalibration().count());
        assertEquals(0.5, all.energyCalibration().within1Sigma(), TOL);
        assertEquals(1.0, all.energyCalibration().within2Sigma(), TOL);
        // forces, σ = 0.15, the five components zero in reference and prediction left out: eleven errors 0 or
        // 0.1 within 1σ, 0.2 within 2σ, 0.4 outside
        assertEquals(13, all.forceCalibration().count());
        assertEquals(11.0 / 13, all.forceCalibration().within1Sigma(), TOL);
        assertEquals(12.0 / 13, all.forceCalibration().within2Sigma(), TOL);
        GroupErrors d = twoFrames(true).groups().get("default");
        assertArrayEquals(new double[] {0.2}, d.energyCalibration().pairs().x(), TOL);
        assertArrayEquals(new double[] {0.3}, d.energyCalibration().pairs().y(), TOL);
    }

    @Test
    void aFrameWithoutAReferenceDoesNotCountAndAnAbsentNameIsReported() {
        ReferenceNames names = new ReferenceNames("dft_energy", "dft_forces", "dft_virial", "dft_stress", "kind");
        ErrorStatistics stats = new ErrorStatistics(names, 0);
        Structure withEnergy = frame(2, 10);
        withEnergy.info().put("dft_energy", -4.0);
        withEnergy.info().put("energy", -1000.0);
        Structure without = frame(2, 10);
        without.info().put("energy", -1000.0);
        double[] zeroForces = new double[6];
        stats.add(FrameReference.read(withEnergy, names), prediction(2, -3.0, zeroForces, new double[6]), null);
        stats.add(FrameReference.read(without, names), prediction(2, -3.0, zeroForces, new double[6]), null);
        assertEquals(1, stats.overall().errors(Quantity.ENERGY).count());
        assertEquals(0.5, stats.overall().errors(Quantity.ENERGY).mae(), TOL);
        assertEquals(0, stats.overall().errors(Quantity.FORCES).count());
        assertEquals(List.of("default"), List.copyOf(stats.groups().keySet()));
        List<String> absent = stats.notCompared();
        assertEquals(3, absent.size(), absent.toString());
        assertTrue(absent.get(0).startsWith("forces") && absent.get(0).contains("'dft_forces'"), absent.get(0));
        assertTrue(absent.get(1).contains("'dft_virial' or 'dft_stress'"), absent.get(1));
        String table = stats.format();
        assertTrue(table.contains("energy"), table);
        assertFalse(table.lines().anyMatch(l -> l.startsWith("all") && l.contains("forces")), table);
        assertTrue(table.contains(absent.get(0)), table);
    }

    /**
     * A 2 Å cube (V = 8 Å³) of 2 atoms under a virial W = diag(8, 8, 8) eV: stress −W/V = −1 eV/Å³ on the
     * diagonal. A prediction with σ_xx = −0.9 eV/Å³ is 0.1 eV/Å³ off in stress and −0.1 × 8 / 2 = −0.4 eV/atom off
     * in virial; a frame giving the same reference as a stress gives the same errors.
     */
    @Test
    void virialAndStressReferencesConvertWithSignAndVolume() {
        Structure byVirial = frame(2, 2);
        byVirial.info().put("virial", new double[] {8, 0, 0, 0, 8, 0, 0, 0, 8});
        FrameReference rv = FrameReference.read(byVirial, ReferenceNames.DEFAULTS);
        assertArrayEquals(new double[] {-1, -1, -1, 0, 0, 0}, rv.stressVoigt(), TOL);
        Structure byStress = frame(2, 2);
        byStress.info().put("stress", new double[] {-1, 0, 0, 0, -1, 0, 0, 0, -1});
        FrameReference rs = FrameReference.read(byStress, ReferenceNames.DEFAULTS);
        assertArrayEquals(new double[] {8, 0, 0, 0, 8, 0, 0, 0, 8}, rs.virial(), TOL);
        for (FrameReference ref : List.of(rv, rs)) {
            ErrorStatistics stats = new ErrorStatistics(ReferenceNames.DEFAULTS, 0);
            stats.add(ref, prediction(2, Double.NaN, null, new double[] {-0.9, -1, -1, 0, 0, 0}), null);
            ErrorAccumulator stress = stats.overall().errors(Quantity.STRESS);
            ErrorAccumulator virial = stats.overall().errors(Quantity.VIRIAL);
            assertEquals(6, stress.count());
            assertEquals(0.1, stress.max(), TOL);
            assertEquals(0.1 / 6, stress.mae(), TOL);
            assertEquals(0.4, virial.max(), TOL);
            assertEquals(0.4 / 6, virial.mae(), TOL);
            String table = stats.format();
            String gpa = ErrorStatistics.number(0.1 * 160.2176634);
            assertTrue(table.lines().anyMatch(l -> l.contains("GPa") && l.endsWith(gpa)), table);
        }
        Structure both = frame(2, 2);
        both.info().put("virial", new double[] {8, 0, 0, 0, 8, 0, 0, 0, 8});
        both.info().put("stress", new double[] {5, 0, 0, 0, 5, 0, 0, 0, 5});
        assertArrayEquals(rv.virial(), FrameReference.read(both, ReferenceNames.DEFAULTS).virial(), TOL,
                "the virial is preferred to the stress");
        Structure molecule = new Structure(silicon(2), new double[6], Cell.none());
        molecule.info().put("stress", new double[] {-1, 0, 0, 0, -1, 0, 0, 0, -1});
        assertNull(FrameReference.read(molecule, ReferenceNames.DEFAULTS).virial(), "no volume, no virial");
    }

    @Test
    void badReferenceShapesNameTheField() {
        Structure s = frame(2, 10);
        s.info().put("virial", new double[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameReference.read(s, ReferenceNames.DEFAULTS));
        assertTrue(e.getMessage().contains("'virial'") && e.getMessage().contains("3 numbers"), e.getMessage());
        Structure t = frame(2, 10);
        t.setProperty("forces", AtomProperty.real(1, new double[2]));
        e = assertThrows(IllegalArgumentException.class, () -> FrameReference.read(t, ReferenceNames.DEFAULTS));
        assertTrue(e.getMessage().contains("'forces'"), e.getMessage());
        Structure u = frame(2, 10);
        u.info().put("energy", "high");
        e = assertThrows(IllegalArgumentException.class, () -> FrameReference.read(u, ReferenceNames.DEFAULTS));
        assertTrue(e.getMessage().contains("'energy'"), e.getMessage());
    }

    @Test
    void formatIsAnAlignedTableWithReportUnits() {
        String text = twoFrames(true).format();
        List<String> table = text.lines().skip(1).takeWhile(l -> !l.isEmpty()).toList();
        assertEquals(1 + 2 * 3, table.size(), text);
        assertTrue(table.stream().allMatch(l -> l.length() == table.getFirst().length()), text);
        String energyAll = table.stream().filter(l -> l.startsWith("all") && l.contains("energy")).findFirst()
                .orElseThrow();
        assertTrue(energyAll.contains("meV/atom") && energyAll.contains(ErrorStatistics.number(200.0)), energyAll);
        assertTrue(text.contains("68.3 %") && text.contains("95.4 %"), text);
        assertTrue(text.contains("50.0 %") && text.contains("100.0 %"), text);
    }

    @Test
    void pointsKeepABoundedUniformSample() {
        Points all = new Points(10);
        for (int i = 0; i < 5; i++) {
            all.add(i, -i);
        }
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, all.x());
        Points sample = new Points(100);
        for (int i = 0; i < 100_000; i++) {
            sample.add(i, 2 * i);
        }
        assertEquals(100, sample.size());
        assertEquals(100_000, sample.seen());
        double[] x = sample.x();
        double[] y = sample.y();
        double mean = 0;
        for (int i = 0; i < x.length; i++) {
            assertEquals(2 * x[i], y[i], 0.0, "pairs stay together");
            mean += x[i] / x.length;
        }
        assertEquals(50_000, mean, 10_000, "a uniform sample's mean (σ of the mean ≈ 2 900)");
    }
}
