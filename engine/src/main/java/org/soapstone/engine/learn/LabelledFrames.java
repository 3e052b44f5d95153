package org.soapstone.engine.learn;

import java.util.Arrays;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;

/**
 * Reference data as training frames and as extended-XYZ frames, both ways: the learner's training file holds per
 * frame info {@code energy} (eV), {@code stress} (eV/Å³, 3×3 row-major, ASE's sign; absent if not computed) and
 * per-atom {@code forces} (eV/Å); the σ are gap_fit's {@code default_sigma} with {@code sigma_per_atom=T}
 * (energy and virial σ × √N), the virial W = −σV fitted only if the stress is known and σ_V > 0.
 */
public final class LabelledFrames {
    private LabelledFrames() {
    }

    /** A copy of {@code s} with the reference results attached, as written to the training file. */
    public static Structure labelled(Structure s, CalculationResults r, long step) {
        Structure copy = s.copy();
        copy.setVelocities(null);
        copy.properties().clear();
        copy.setProperty("forces", AtomProperty.real(3, r.forces.clone()));
        copy.info().clear();
        copy.info().put("energy", r.energy);
        if (r.has(Property.STRESS)) {
            copy.info().put("stress", r.stressMatrix());
        }
        copy.info().put("step", step);
        return copy;
    }

    /**
     * The training frame of a labelled structure (as {@link #labelled} made it, or read back from the file).
     *
     * @param index the frame's index in the training set
     * @throws ReferenceFailedException if the energy or forces are missing or not finite
     */
    public static TrainingFrame trainingFrame(int index, Structure labelled, Sigmas sigmas) {
        int n = labelled.size();
        Double energy = labelled.infoReal("energy");
        AtomProperty forces = labelled.properties().get("forces");
        if (energy == null || !Double.isFinite(energy)) {
            throw new ReferenceFailedException("frame " + index + ": no finite 'energy' (eV) in its info");
        }
        if (forces == null || forces.type() != AtomProperty.Type.REAL || forces.columns() != 3) {
            throw new ReferenceFailedException("frame " + index + ": no 'forces' property of 3 real columns (eV/Å)");
        }
        double[] f = forces.reals().clone();
        for (double v : f) {
            if (!Double.isFinite(v)) {
                throw new ReferenceFailedException("frame " + index + ": a force is not finite");
            }
        }
        double[] fs = new double[3 * n];
        Arrays.fill(fs, sigmas.force());
        double[] virial = null;
        double[] vs = null;
        Object stress = labelled.info().get("stress");
        if (stress instanceof double[] st && sigmas.virial() > 0 && labelled.cell().hasVolume()) {
            double[] m = switch (st.length) {
                case 9 -> st;
                case 6 -> CalculationResults.voigtToMatrix(st, 1.0);
                default -> throw new ReferenceFailedException("frame " + index + ": 'stress' has " + st.length
                        + " values; 9 (3×3) or 6 (Voigt) expected");
            };
            double v = labelled.volume();
            virial = new double[9];
            for (int k = 0; k < 9; k++) {
                virial[k] = -v * 0.5 * (m[k] + m[3 * (k % 3) + k / 3]);
            }
            vs = new double[9];
            Arrays.fill(vs, sigmas.virial() * Math.sqrt(n));
        }
        return new TrainingFrame(index, 0, labelled, "default", energy, sigmas.energy() * Math.sqrt(n), f, fs,
                virial, vs);
    }
}
