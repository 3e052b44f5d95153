package org.soapstone.engine.learn;

import java.nio.file.Path;
import java.util.Objects;
import org.soapstone.engine.descriptor.DescriptorSpec;

/** Where a fresh learning run's first model comes from. */
public sealed interface StartingModel {

    /**
     * From nothing: the reference labels the start, whose distinct environments are the first sparse points
     * ({@link OnTheFlyLearner#bootstrap}).
     *
     * @param descriptor the gap_fit descriptor string, with delta, zeta, covariance_type and n_sparse
     */
    record Bootstrap(DescriptorSpec descriptor) implements StartingModel {
        /** Validates. */
        public Bootstrap {
            Objects.requireNonNull(descriptor, "descriptor");
        }
    }

    /**
     * From a model file with its posterior and the frames it was fitted to (energy eV, forces eV/Å, stress eV/Å³).
     *
     * @param model Soapstone's model file
     * @param training the model's training frames, read with the run's σ
     */
    record Given(Path model, Path training) implements StartingModel {
        /** Validates. */
        public Given {
            Objects.requireNonNull(model, "model");
            if (training == null) {
                throw new IllegalArgumentException("a starting model needs its training frames, the frames it was "
                        + "fitted to");
            }
        }
    }
}
