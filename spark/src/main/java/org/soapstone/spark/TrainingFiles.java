package org.soapstone.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.soapstone.engine.fit.TrainingDataException;

/** The splits of a training set named as {@code at_file}: a file, a directory or a glob on a Hadoop file system. */
final class TrainingFiles {
    /** Hadoop's key for the largest split; if the user set none, splits are sized for the cluster. */
    static final String MAX_SPLIT = FileInputFormat.SPLIT_MAXSIZE;
    /** The smallest split chosen when sizing for the cluster (bytes). */
    private static final long MIN_SPLIT = 1 << 20;

    private TrainingFiles() {
    }

    /**
     * @param location {@code at_file}: a path or URI, a directory (its files, hidden ones excepted) or a glob
     * @param parallelism the cluster's parallelism: without a configured maximum, splits are made small enough
     *     for at least this many (but ≥ 1 MiB)
     * @return the splits in file order, then byte order
     * @throws TrainingDataException if nothing matches or no file has bytes
     */
    static List<Segment> splits(Configuration conf, String location, int parallelism) throws IOException {
        List<Segment> splits = list(conf, location, conf.get(MAX_SPLIT) == null ? Long.MAX_VALUE : -1);
        if (conf.get(MAX_SPLIT) == null) {
            long total = splits.stream().mapToLong(s -> s.end() - s.start()).sum();
            long size = Math.max(MIN_SPLIT, (total + parallelism - 1) / Math.max(1, parallelism));
            splits = list(conf, location, size);
        }
        if (splits.isEmpty()) {
            throw new TrainingDataException(location, -1, 0, "at_file", "the files hold no bytes");
        }
        return splits;
    }

    private static List<Segment> list(Configuration base, String location, long maxSplit) throws IOException {
        Job job = Job.getInstance(new Configuration(base));
        FileInputFormat.setInputPaths(job, new Path(location));
        if (maxSplit > 0) {
            FileInputFormat.setMaxInputSplitSize(job, maxSplit);
        }
        List<InputSplit> raw;
        try {
            raw = new ExtXyzInputFormat().getSplits(job);
        } catch (org.apache.hadoop.mapreduce.lib.input.InvalidInputException e) {
            throw new TrainingDataException(location, -1, 0, "at_file", "no such file, directory or match ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        List<Segment> out = new ArrayList<>();
        for (InputSplit s : raw) {
            FileSplit f = (FileSplit) s;
            if (f.getLength() > 0) {
                out.add(Segment.split(f.getPath().toString(), f.getStart(), f.getStart() + f.getLength()));
            }
        }
        return out;
    }
}
