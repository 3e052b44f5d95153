package org.soapstone.cli;

import java.nio.file.Path;
import java.util.ServiceLoader;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;

/**
 * A fit run on a cluster instead of this JVM's threads ({@code soapstone fit --spark MASTER}). The implementation
 * (the {@code spark} module) is found on the class path, so the command-line jar carries no cluster engine: the
 * launcher adds it for {@code --spark}, {@code spark-submit} runs the module's jar.
 */
public interface DistributedFit {

    /**
     * Fits as {@code soapstone fit} does, with the training set read and reduced on the cluster.
     *
     * @param master the cluster: {@code local[N]}, {@code spark://HOST:PORT}, {@code yarn}, {@code k8s://…}
     * @param partitions chunks of the reduction, ≤ 0 for the cluster's default parallelism
     * @param line the parsed gap_fit command line
     * @param directory the working directory its paths were resolved against
     * @param version the Soapstone version, for the provenance
     * @param listener progress, per stage
     * @param optimiseEvaluations 0 for gap_fit's fit, else {@code --optimise}'s cap on likelihood evaluations
     * @return the model, provenance, notes and time per stage
     */
    GapFit.Result fit(String master, int partitions, GapFitCommandLine line, Path directory, String version,
            FitListener listener, int optimiseEvaluations);

    /**
     * @return the implementation on the class path
     * @throws IllegalArgumentException if there is none, saying how to get one
     */
    static DistributedFit find() {
        return ServiceLoader.load(DistributedFit.class).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "--spark needs Apache Spark and Soapstone's spark module on the class path: run it through the "
                        + "./soapstone launcher (which adds them), or submit spark/target/soapstone-spark.jar with "
                        + "spark-submit"));
    }
}
