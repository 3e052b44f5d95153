package org.soapstone.engine.fit;

/**
 * Receives the progress of a fit (for a progress bar or a log). Calls may come from several threads; implementations
 * must be thread-safe.
 */
public interface FitListener {
    /** A listener that ignores everything. */
    FitListener NONE = new FitListener() {
    };

    /**
     * A new stage starts.
     *
     * @param name what is being done (e.g. "descriptors", "covariance + QR")
     * @param units how many units (frames) the stage has
     */
    default void stage(String name, long units) {
    }

    /** @param units more units of the current stage are done */
    default void advance(long units) {
    }
}
