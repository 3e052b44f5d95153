package org.soapstone.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;

/** What the driver knows of the executors: cores (tasks at once) and heap. */
final class Cluster {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?\\])?");

    private Cluster() {
    }

    /**
     * @return tasks that run at once in one executor's heap: N for {@code local[N]}, else
     *     {@code spark.executor.cores / spark.task.cpus} (1 if not set)
     */
    static int coresPerExecutor(JavaSparkContext sc) {
        Matcher m = LOCAL.matcher(sc.master());
        if (m.matches()) {
            return m.group(1) == null ? 1 : m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                    : Integer.parseInt(m.group(1));
        }
        int cores = sc.getConf().getInt("spark.executor.cores", 1);
        return Math.max(1, cores / sc.getConf().getInt("spark.task.cpus", 1));
    }

    /** @return an executor's heap (bytes): the driver's own in local mode, else {@code spark.executor.memory} */
    static long executorHeap(JavaSparkContext sc) {
        return LOCAL.matcher(sc.master()).matches() ? Runtime.getRuntime().maxMemory()
                : (long) sc.sc().executorMemory() << 20;
    }
}
