package org.soapstone.engine.gap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.soapstone.engine.io.AtomicFile;
import org.soapstone.engine.io.Npy;
import org.soapstone.engine.io.NpyArray;
import org.soapstone.engine.structure.Element;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.SparseGpPosterior;

/** Writes a {@link GapModelFile}: {@code model.json} ({@link ModelDocument}) first, then the arrays it names. */
final class GapModelFileWriter {
    private final Map<String, NpyArray> arrays = new LinkedHashMap<>();

    private GapModelFileWriter() {}

    static void write(Path file, GapModel model, FitProvenance provenance) throws IOException {
        GapModelFileWriter w = new GapModelFileWriter();
        byte[] json;
        try {
            json = ModelDocument.JSON.writeValueAsBytes(w.document(model, provenance));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot write the model: " + e.getMessage(), e);
        }
        AtomicFile.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(Deflater.BEST_SPEED); // the arrays are mostly incompressible doubles and zeros
            zip.putNextEntry(new ZipEntry(GapModelFile.MODEL_JSON));
            zip.write(json);
            zip.write('\n');
            zip.closeEntry();
            for (Map.Entry<String, NpyArray> a : w.arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(a.getKey()));
                Npy.write(zip, a.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    private ModelDocument document(GapModel model, FitProvenance provenance) {
        Map<String, Double> e0 = new LinkedHashMap<>();
        for (int z = 1; z <= GapModel.MAX_Z; z++) {
            double v = model.e0(z);
            if (Double.doubleToRawLongBits(v) != 0) {
                e0.put(Element.of(z).symbol(), v);
            }
        }
        List<ModelDocument.Term> terms = new ArrayList<>();
        for (int i = 0; i < model.terms().size(); i++) {
            terms.add(term(i, model.terms().get(i)));
        }
        return new ModelDocument(GapModelFile.FORMAT, GapModelFile.FORMAT_VERSION, model.label(), model.gapVersion(),
                ModelDocument.Units.EV_ANGSTROM, e0, terms,
                model.hasPosterior() ? posterior(model.posterior()) : null, provenance,
                model.calibration() == null ? null : CalibrationJson.write(model.calibration()));
    }

    private ModelDocument.Term term(int i, GapTerm t) {
        String where = "terms[" + i + "]";
        String dir = "terms/" + i + "/";
        double[] theta = t.theta();
        ModelDocument.TermArrays names = new ModelDocument.TermArrays(
                array(dir + "sparse_x.npy", t.sparseX(), where, t.sparseCount(), t.dimension()),
                array(dir + "alpha.npy", t.alpha(), where, t.sparseCount()),
                array(dir + "sparse_cutoff.npy", t.sparseCutoff(), where, t.sparseCount()),
                theta.length > 0 ? array(dir + "theta.npy", theta, where, theta.length) : null);
        try {
            return new ModelDocument.Term(t.label(), t.descriptor().text(), t.covariance(), t.delta(), t.f0(),
                    t.zeta(), t.sparseCount(), t.dimension(), names);
        } catch (ModelDocument.FieldError e) {
            throw new IllegalArgumentException(where + "." + e.getMessage(), e);
        }
    }

    private ModelDocument.Posterior posterior(SparseGpPosterior p) {
        int m = p.sparseCount();
        QrAccumulator acc = p.accumulator();
        double[] u = GapModelFile.transpose(p.sparseCholesky().data(), m);
        double[] r = GapModelFile.transpose(acc.augmentedFactor(), m + 1);
        ModelDocument.PosteriorArrays names = new ModelDocument.PosteriorArrays(
                array("posterior/u.npy", u, "posterior U", m, m),
                array("posterior/r_augmented.npy", r, "posterior R~", m + 1, m + 1));
        try {
            return new ModelDocument.Posterior(m, "the sparse points of terms[0], then terms[1], ..., each term's in "
                    + "its own order", acc.rows(), acc.logSigmaSum(), acc.priorCount(), p.logMarginalLikelihood(),
                    "upper", ModelDocument.Layout.V1, names);
        } catch (ModelDocument.FieldError e) {
            throw new IllegalArgumentException("posterior." + e.getMessage(), e);
        }
    }

    /** Registers an array entry after checking its values are finite; @return the entry name. */
    private String array(String name, double[] data, String where, int... shape) {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                throw new IllegalArgumentException(where + " " + name + " element " + k + " is " + data[k]);
            }
        }
        arrays.put(name, NpyArray.of(data, shape));
        return name;
    }
}
