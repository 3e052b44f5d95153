package org.soapstone.engine.gap;

import java.util.Objects;

/**
 * A GAP model as a {@link GapModelFile} holds it.
 *
 * @param model the model (with its posterior, if the file has one)
 * @param provenance where the model came from; null if the file records none (e.g. converted from gap_fit XML)
 */
public record StoredModel(GapModel model, FitProvenance provenance) {
    /** Checks that there is a model. */
    public StoredModel {
        Objects.requireNonNull(model, "model");
    }
}
