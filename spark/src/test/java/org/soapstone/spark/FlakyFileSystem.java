package org.soapstone.spark;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;

/**
 * The local file system ({@code file:}) whose reads fail in the first attempt of every task of one named job: an
 * executor losing its input, injected by the test ({@link SharedSpark} installs it as {@code fs.file.impl}).
 */
public final class FlakyFileSystem extends LocalFileSystem {
    /** Description of the job whose first attempts fail (null: none). */
    static volatile String failing;
    /** Partitions of that job whose first attempt failed. */
    static final Set<Integer> failed = ConcurrentHashMap.newKeySet();

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        TaskContext task = TaskContext.get();
        if (task != null && failing != null && failing.equals(task.getLocalProperty("spark.job.description"))
                && task.attemptNumber() == 0) {
            failed.add(task.partitionId());
            throw new IOException("injected: the executor lost " + f + " (first attempt of partition "
                    + task.partitionId() + ")");
        }
        return super.open(f, bufferSize);
    }
}
