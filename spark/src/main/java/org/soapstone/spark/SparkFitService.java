package org.soapstone.spark;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.soapstone.cli.DistributedFit;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;

/**
 * {@code soapstone fit --spark MASTER}: starts Spark (or joins the context already running in this JVM, e.g. under
 * {@code spark-submit} or in tests) and runs {@link SparkGapFit}. For {@code local[N]} it binds to the loopback
 * address only and turns Spark's console bar off (the fit shows its own, moved by the tasks that finish and by the
 * executors' heartbeats, every 10 s: a shorter interval races Spark's own start in local mode); any {@code spark.*}
 * system property set by the user wins.
 */
public final class SparkFitService implements DistributedFit {

    @Override
    public GapFit.Result fit(String master, int partitions, GapFitCommandLine line, Path directory, String version,
            FitListener listener, int optimiseEvaluations) {
        long called = System.currentTimeMillis();
        SparkConf conf = new SparkConf().setAppName("soapstone fit");
        conf.setIfMissing("spark.master", master);
        if (!conf.get("spark.master").equals(master)) {
            throw new IllegalArgumentException("--spark " + master + " but Spark is configured for "
                    + conf.get("spark.master") + " (spark-submit --master): give the same master to both");
        }
        if (master.startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        SparkContext context = SparkContext.getOrCreate(conf);
        boolean ours = context.startTime() >= called; // else it was running already: leave it running
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(context);
            return SparkGapFit.run(sc, line, directory, new SparkGapFit.Options(partitions, optimiseEvaluations),
                    version, listener);
        } finally {
            if (ours) {
                context.stop();
            }
        }
    }
}
