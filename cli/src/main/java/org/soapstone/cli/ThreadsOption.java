package org.soapstone.cli;

import org.soapstone.engine.parallel.WorkerPool;
import picocli.CommandLine.Option;

/**
 * The {@code --threads} option every computing command takes; sizes the shared {@link WorkerPool}. More threads
 * than cores are capped at the cores with a warning on standard error: the workers spin while they wait for each
 * other, so an oversubscribed pool runs many times slower than one thread per core.
 */
public final class ThreadsOption {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads for the calculation (default and most: all ${sys:soapstone.cores} cores; "
                    + "more are capped at the cores, with a warning).")
    int threads = CORES;

    static {
        System.setProperty("soapstone.cores", Integer.toString(CORES));
    }

    /** Applies the option (capped at the cores): call before building calculators. */
    void apply() {
        OptionChecks.atLeast("--threads", threads, 1);
        if (threads > CORES) {
            System.err.println("soapstone: warning: --threads " + threads + " is more than the " + CORES
                    + " cores of this machine; using " + CORES);
            threads = CORES;
        }
        WorkerPool.configureShared(threads);
    }
}
