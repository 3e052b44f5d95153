package org.soapstone.engine.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.testing.QuipPredictions;
import org.soapstone.engine.testing.SharedData;

/**
 * {@code theta_fac} of three-body terms as gap_fit computes it: θ = factor × the range of each component over every
 * instance of the training set, widened over the kernel's permutations (distance_Nb: r_12 and r_13 share a range
 * when the cluster's two neighbours may be exchanged), for the add_species expansion of distance_Nb and angle_3b on
 * SiC — against the θ gap_fit wrote ({@code test-data/quip-reference/theta-fac}).
 */
class ThreeBodyThetaFactorTest {
    @Test
    void thetaFactorIsGapFits() throws Exception {
        List<String> lines = Files.readAllLines(QuipPredictions.dir("theta-fac").resolve("theta.txt"));
        List<String> descriptors = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\|");
            descriptors.add(parts[0].strip());
            expected.add(java.util.Arrays.stream(parts[1].strip().split("\\s+")).mapToDouble(Double::parseDouble)
                    .toArray());
        }
        Path train = SharedData.gapFit("sic-2b-soap").resolve("train.xyz");
        FitSettings settings = GapFitCommandLine.parse(List.of("at_file=" + train, "gap={distance_Nb order=3 "
                + "cutoff=3.2 cutoff_transition_width=0.6 delta=0.3 covariance_type=ard_se theta_fac=0.5 "
                + "sparse_method=random n_sparse=5 : angle_3b cutoff=3.2 delta=0.2 covariance_type=ard_se "
                + "theta_fac=0.7 sparse_method=random n_sparse=5}", "default_sigma={0.005 0.1 0.1 0}",
                "e0={Si:-1.5:C:-2.5}", "energy_parameter_name=energy", "force_parameter_name=forces"), train.getParent());
        TrainingSet data = TrainingSet.read(settings);
        List<DescriptorSpec> specs = new ArrayList<>();
        for (DescriptorSpec s : settings.descriptors()) {
            specs.addAll(s.addSpecies(data.species()));
        }
        List<GapTerm> terms = SparsePointChooser.choose("T", specs, data.frames(), 5, 2, FitListener.NONE,
                new ArrayList<>());
        assertEquals(expected.size(), terms.size(), "gap_fit's coordinates");
        for (int t = 0; t < terms.size(); t++) {
            double[] theta = terms.get(t).theta();
            String where = descriptors.get(t);
            for (int c = 0; c < theta.length; c++) {
                assertEquals(expected.get(t)[c], theta[c], 1e-12 * expected.get(t)[c], where + " θ_" + c);
            }
        }
    }
}
