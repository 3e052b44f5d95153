package org.soapstone.engine.gap;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What gap_fit writes into and beside its XML besides the model ({@code gap_fit_print_xml} in GAP's
 * {@code gap_fit_module.f95}).
 *
 * @param commandLine gap_fit's arguments (its {@code <command_line>}), "" to leave the element out
 * @param trainingFile the training file to copy into {@code <XYZ_data>} ({@code do_copy_at_file=T}), or null
 * @param exportCovariance write the triangular factor R of the fit beside the XML as
 *     {@code <xml>.R.<label>} ({@code export_covariance=T}); needs a model with its posterior
 */
public record QuipXmlExtras(String commandLine, Path trainingFile, boolean exportCovariance) {
    /** Nothing but the model. */
    public static final QuipXmlExtras NONE = new QuipXmlExtras("", null, false);

    /** Validates. */
    public QuipXmlExtras {
        Objects.requireNonNull(commandLine, "commandLine");
    }
}
