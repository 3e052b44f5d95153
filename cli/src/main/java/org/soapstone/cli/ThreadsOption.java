package org.soapstone.cli;

import org.soapstone.engine.parallel.WorkerPool;
import picocli.CommandLine.Option;

/** The {@code --threads} option every computing command takes; sizes the shared {@link WorkerPool}. */
public final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads for the calculation (default: all ${sys:soapstone.cores} cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    static {
        System.setProperty("soapstone.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    /** Applies the option: call before building calculators. */
    void apply() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be ≥ 1, got " + threads);
        }
        WorkerPool.configureShared(threads);
    }
}
