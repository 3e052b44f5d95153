package org.soapstone.spark;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;

/**
 * Extended-XYZ files as Hadoop input: a file, a directory or a glob on any Hadoop file system ({@code file:},
 * {@code hdfs:}, {@code s3a:}), files in the order of their paths, each uncompressed file split into byte ranges
 * and each range read by an {@link ExtXyzRecordReader} that returns the frames starting in it (key: the byte offset
 * of the frame's count line; value: the frame's text). A compressed file ({@code .gz}, …) is one split.
 * Usable with {@code SparkContext.newAPIHadoopFile(path, ExtXyzInputFormat.class, LongWritable.class, Text.class,
 * conf)}.
 */
public final class ExtXyzInputFormat extends FileInputFormat<LongWritable, Text> {

    /** The files in the order of their paths, so a set of files is read in the same order everywhere. */
    @Override
    protected List<FileStatus> listStatus(JobContext job) throws IOException {
        List<FileStatus> files = new java.util.ArrayList<>(super.listStatus(job));
        files.sort(Comparator.comparing(f -> f.getPath().toString()));
        return files;
    }

    @Override
    protected boolean isSplitable(JobContext context, Path file) {
        return new CompressionCodecFactory(context.getConfiguration()).getCodec(file) == null;
    }

    @Override
    public RecordReader<LongWritable, Text> createRecordReader(InputSplit split, TaskAttemptContext context) {
        return new ExtXyzRecordReader();
    }
}
