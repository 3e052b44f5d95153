package org.soapstone.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.gap.GapTerm;

/**
 * What an executor needs to read and fit frames as the driver would: the gap_fit arguments (parsed again on the
 * executor into the same {@link FitSettings}), the species in order of first appearance, e0 and, once chosen, the
 * terms' sparse points.
 *
 * @param arguments gap_fit's arguments without {@code config_file} ({@link GapFitCommandLine#effectiveArguments})
 * @param directory the driver's working directory, against which they were resolved
 * @param species atomic numbers in order of first appearance
 * @param e0 energy per isolated atom by Z (eV), length 119
 * @param terms the terms' sparse points, or null before they are chosen
 */
record FitInputs(List<String> arguments, String directory, int[] species, double[] e0, List<Term> terms)
        implements Serializable {

    /**
     * One term without its descriptor, which {@link #terms()} rebuilds from the arguments and species.
     *
     * @param label the term's label
     * @param covariance its covariance type
     * @param delta δ (eV)
     * @param f0 f0 (eV)
     * @param zeta ζ of a dot-product kernel
     * @param theta ard_se length scales
     * @param sparseX sparse points, row-major M × D
     * @param sparseCutoff cutoff weight of each sparse point
     */
    record Term(String label, CovarianceType covariance, double delta, double f0, double zeta, double[] theta,
            double[] sparseX, double[] sparseCutoff) implements Serializable {
    }

    FitInputs {
        arguments = List.copyOf(arguments);
    }

    /** @return the settings, parsed from the arguments */
    FitSettings settings() {
        return GapFitCommandLine.read(arguments, Path.of(directory)).settings();
    }

    /** @return the same inputs with the terms' sparse points */
    FitInputs withTerms(List<GapTerm> chosen) {
        List<Term> t = new ArrayList<>();
        for (GapTerm g : chosen) {
            t.add(new Term(g.label(), g.covariance(), g.delta(), g.f0(), g.zeta(), g.theta(), g.sparseX(),
                    g.sparseCutoff()));
        }
        return new FitInputs(arguments, directory, species, e0, t);
    }

    /** @return the terms with their sparse points (α = 0) */
    List<GapTerm> gapTerms(FitSettings settings) {
        List<DescriptorSpec> specs = GapFit.termSpecs(settings, species);
        if (specs.size() != terms.size()) {
            throw new IllegalStateException(specs.size() + " descriptors for " + terms.size() + " terms");
        }
        List<GapTerm> out = new ArrayList<>();
        for (int t = 0; t < specs.size(); t++) {
            Term x = terms.get(t);
            out.add(new GapTerm(x.label(), specs.get(t), x.covariance(), x.delta(), x.f0(), x.zeta(), x.theta(),
                    x.sparseX(), new double[x.sparseCutoff().length], x.sparseCutoff()));
        }
        return out;
    }
}
