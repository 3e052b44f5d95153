package org.soapstone.engine.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.SparsePointChooser;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/**
 * Training data from a known GAP, for tests of hyperparameter searches: rattled, strained 8-atom silicon cells of two
 * config types, labelled with the energies and forces of a model with the given SOAP settings — sparse points chosen by
 * CUR on these very cells with the given seed (as a fit with those settings and that seed would choose them), random
 * weights — plus Gaussian noise of known σ. A fit at the true settings can represent the data to the noise; any other
 * cutoff or atom_sigma cannot.
 */
public final class SyntheticGap {
    /** The true model of the tests: SOAP cutoff 3.6 Å, atom_sigma 0.45 Å, 30 sparse points. */
    public static final String SOAP = "soap cutoff=3.6 cutoff_transition_width=1.0 n_max=4 l_max=3 atom_sigma=0.45 "
            + "zeta=2 delta=1.0 covariance_type=dot_product n_sparse=30 sparse_method=cur_points";

    private SyntheticGap() {
    }

    /**
     * Writes the frames.
     *
     * @param file the extended-XYZ file to write (energy in eV, forces in eV/Å, config_type a or b)
     * @param soap the true descriptor string (with n_sparse and sparse_method)
     * @param count the number of frames
     * @param seed the seed of the cells, the sparse points and the weights
     * @param sigmaE the energy noise per √atom (eV)
     * @param sigmaF the force noise (eV/Å)
     */
    public static void write(Path file, String soap, int count, long seed, double sigmaE, double sigmaF)
            throws IOException {
        Random random = new Random(seed);
        List<Structure> cells = new ArrayList<>();
        List<TrainingFrame> shapes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Structure s = Crystal.diamond(14, 5.43 * (0.96 + 0.08 * random.nextDouble()), 1);
            double[] r = s.positions();
            for (int k = 0; k < r.length; k++) {
                r[k] += 0.35 * (2 * random.nextDouble() - 1);
            }
            cells.add(s);
            shapes.add(new TrainingFrame(i, 0, s, type(i), Double.NaN, Double.NaN, null, null, null, null));
        }
        var spec = DescriptorString.parse(soap).addSpecies(new int[] {14});
        List<GapTerm> sparse = SparsePointChooser.choose("truth_", spec, shapes, seed, 1, FitListener.NONE,
                new ArrayList<>());
        GapTerm t = sparse.get(0);
        double[] alpha = new double[t.sparseCount()];
        for (int j = 0; j < alpha.length; j++) {
            alpha[j] = 0.5 * random.nextGaussian();
        }
        GapTerm truth = new GapTerm(t.label(), t.descriptor(), t.covariance(), t.delta(), t.f0(), t.zeta(), t.theta(),
                t.sparseX(), alpha, t.sparseCutoff());
        ReferenceGapCalculator calc = new ReferenceGapCalculator(new GapModel("truth", GapModel.GAP_VERSION,
                new double[GapModel.MAX_Z + 1], List.of(truth)));
        CalculationResults res = new CalculationResults();
        for (int i = 0; i < count; i++) {
            Structure s = cells.get(i);
            calc.calculate(s, EnumSet.of(Property.ENERGY, Property.FORCES), res);
            double[] f = new double[3 * s.size()];
            for (int c = 0; c < f.length; c++) {
                f[c] = res.forces[c] + sigmaF * random.nextGaussian();
            }
            s.info().put("energy", res.energy + sigmaE * Math.sqrt(s.size()) * random.nextGaussian());
            s.info().put("config_type", type(i));
            s.setProperty("forces", AtomProperty.real(3, f));
        }
        ExtXyz.write(file, cells);
    }

    private static String type(int i) {
        return i % 3 == 0 ? "b" : "a";
    }
}
