package org.soapstone.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One Spark context for all of the module's tests (Spark takes 10–15 s to start): {@code local[2,4]} — two cores,
 * and up to four attempts per task, as a cluster retries failed tasks — on the loopback address, without the UI.
 * Stopped when the test JVM exits.
 */
final class SharedSpark {
    private static JavaSparkContext context;

    private SharedSpark() {
    }

    static synchronized JavaSparkContext get() {
        if (context == null) {
            SparkConf conf = new SparkConf().setMaster("local[2,4]").setAppName("soapstone spark tests")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.ui.showConsoleProgress", "false")
                    .set("spark.hadoop.fs.file.impl", FlakyFileSystem.class.getName())
                    .set("spark.hadoop.fs.file.impl.disable.cache", "true");
            context = new JavaSparkContext(conf);
            Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
        }
        return context;
    }
}
