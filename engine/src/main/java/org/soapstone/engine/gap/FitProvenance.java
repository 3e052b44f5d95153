package org.soapstone.engine.gap;

import java.util.List;
import java.util.Map;

/**
 * Where a fitted model came from, stored in its model file so a fit can be audited and repeated: the Soapstone
 * version, the exact command line, the SHA-256 of every training file, and the fit's log marginal likelihood and
 * observation count.
 *
 * @param soapstoneVersion the version that fitted the model
 * @param created the time of the fit, ISO-8601 UTC
 * @param commandLine the fit's arguments as given
 * @param trainingFiles SHA-256 (lowercase hex) by file name as given
 * @param summary free-form figures of the fit (e.g. "rows", "seconds", "log_marginal_likelihood"), in order
 */
public record FitProvenance(String soapstoneVersion, String created, List<String> commandLine,
        Map<String, String> trainingFiles, Map<String, String> summary) {

    /** Validates and copies; a missing field is named as the model file names it. */
    public FitProvenance {
        ModelDocument.require(soapstoneVersion, "soapstone_version");
        ModelDocument.require(created, "created");
        commandLine = List.copyOf(ModelDocument.require(commandLine, "command_line"));
        trainingFiles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                ModelDocument.require(trainingFiles, "training_files")));
        summary = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                ModelDocument.require(summary, "summary")));
    }
}
