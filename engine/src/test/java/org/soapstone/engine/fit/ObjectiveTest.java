package org.soapstone.engine.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The losses of a hyperparameter search, worked by hand from the errors of mlearn Si's published GAP. */
class ObjectiveTest {
    /** 2.91 meV/atom and 0.07 eV/Å: the published GAP's errors on the mlearn-Si test set (Zuo et al. 2020). */
    private static final double E = 2.91e-3;
    private static final double F = 0.07;

    /** Energies 20 % better, forces 5 % worse than the published model's. */
    private static final Objective.CvErrors MIXED = new Objective.CvErrors(0.8 * E, 1.05 * F, 25, 4575);

    @Test
    void eachTargetWeighsTheRatiosItNames() {
        assertEquals(0.8, new Objective(Objective.Target.ENERGY, E, F).loss(MIXED), 1e-12);
        assertEquals(1.05, new Objective(Objective.Target.FORCES, E, F).loss(MIXED), 1e-12);
        assertEquals(0.925, new Objective(Objective.Target.BOTH, E, F).loss(MIXED), 1e-12);
        assertEquals(1.05, new Objective(Objective.Target.WORST, E, F).loss(MIXED), 1e-12);
    }

    @Test
    void worstIsBelowABarOnlyWhenBothErrorsAre() {
        Objective worst = new Objective(Objective.Target.WORST, E, F);
        Objective both = new Objective(Objective.Target.BOTH, E, F);
        // the mean passes 0.9 while forces miss it; the larger ratio does not
        assertTrue(both.loss(new Objective.CvErrors(0.7 * E, 1.05 * F, 25, 4575)) < 0.9);
        assertTrue(worst.loss(new Objective.CvErrors(0.7 * E, 1.05 * F, 25, 4575)) > 0.9);
        assertTrue(worst.loss(new Objective.CvErrors(0.89 * E, 0.88 * F, 25, 4575)) < 0.9);
    }

    @Test
    void aQuantityWithoutRowsDoesNotCount() {
        Objective.CvErrors forcesOnly = new Objective.CvErrors(0, 0.9 * F, 0, 4575);
        assertEquals(0.9, new Objective(Objective.Target.WORST, E, F).loss(forcesOnly), 1e-12);
        assertEquals(0.9, new Objective(Objective.Target.BOTH, E, F).loss(forcesOnly), 1e-12);
        assertTrue(Double.isNaN(new Objective(Objective.Target.ENERGY, E, F).loss(forcesOnly)));
    }

    @Test
    void referencesMustBePositive() {
        assertThrows(FitSettingsException.class, () -> new Objective(Objective.Target.WORST, 0, F));
        assertThrows(FitSettingsException.class, () -> new Objective(Objective.Target.WORST, E, Double.NaN));
    }
}
