package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/**
 * A gap_fit model with its exported covariance ({@code export_covariance=T}: the factor R beside the XML as
 * {@code gp.xml.R.<label>}, gap_fit's text layout) gives the full posterior variance. The R written here is that of
 * the same least-squares problem solved by Soapstone on gap_fit's training file, sparse points and settings (the
 * refit reproduces quip's predictions of the gap_fit model, {@code RefitGapFitModelTest}), written as gap_fit
 * writes it — rows with arbitrary signs, reflector garbage below the diagonal — so the variances must equal the
 * refit's posterior variances.
 */
class QuipExportedCovarianceTest {

    @Test
    void exportedFactorGivesThePosteriorVariance(@TempDir Path dir) throws Exception {
        Path source = SharedData.gapFit("si-soap");
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("gp.xml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path xml = dir.resolve("gp.xml");
        GapModel plain = GapModel.readQuip(xml);
        assertFalse(plain.hasPosterior());
        GapModel refit = SparseGpSolve.fit("refit", plain.e0(), plain.terms(),
                org.soapstone.engine.fit.RefitFrames.read(source.resolve("train.xyz"), 0.01, 0.05), 1e-8, 2,
                FitListener.NONE);
        int m = refit.posterior().sparseCount();
        double[] r = refit.posterior().rFactor().data();
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < m; i++) {
                double v = i <= j ? (i % 3 == 1 ? -r[i + j * m] : r[i + j * m]) : 1e3 * (i - j);
                text.append(String.format(Locale.ROOT, "%.20e%n", v));
            }
        }
        String label = Files.readString(xml).replaceAll("(?s).*<gpSparse label=\"([^\"]+)\".*", "$1");
        Path exported = dir.resolve("gp.xml.R." + label);
        Files.writeString(exported, text);
        GapModel withCovariance = GapModel.readQuip(xml);
        assertTrue(withCovariance.hasPosterior());
        List<Structure> frames = ExtXyz.read(source.resolve("quip-predictions.xyz"));
        ReferenceGapCalculator a = new ReferenceGapCalculator(withCovariance);
        ReferenceGapCalculator b = new ReferenceGapCalculator(refit);
        for (Structure s : frames.subList(0, 4)) {
            double[] va = a.localVariance(s);
            double[] vb = b.localVariance(s);
            for (int i = 0; i < va.length; i++) {
                assertEquals(vb[i], va[i], 1e-9 * Math.abs(vb[i]) + 1e-15, "local variance of atom " + i);
            }
            assertEquals(b.energyVariance(s), a.energyVariance(s), 1e-8 * b.energyVariance(s));
        }
        Files.writeString(exported, "1.0\n2.0\n");
        GapFormatException e = assertThrows(GapFormatException.class, () -> GapModel.readQuip(xml));
        assertTrue(e.getMessage().contains(exported.getFileName().toString()) && e.getMessage().contains("needs "
                + m * m), e.getMessage());
    }
}
