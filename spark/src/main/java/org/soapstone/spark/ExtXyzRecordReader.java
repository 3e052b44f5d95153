package org.soapstone.spark;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * Reads the extended-XYZ frames whose count line starts in a {@link FileSplit} ({@link FrameScanner}): key the byte
 * offset of the frame, value its text (count line, header, atom lines). Besides Hadoop's interface it tells each
 * frame's line counted from the split's first byte ({@link #linesBefore()}), and once the split is read the line ends
 * in it ({@link #terminators()}) and where the next frame starts ({@link #nextStart()}), from which a reader of the
 * whole file numbers lines and checks that the splits chain.
 */
public final class ExtXyzRecordReader extends RecordReader<LongWritable, Text> {
    private static final int BUFFER = 1 << 16;

    private InputStream in;
    private FrameScanner scanner;
    private FrameScanner.Frame frame;
    private long start;
    private long end;
    private final LongWritable key = new LongWritable();
    private final Text value = new Text();

    @Override
    public void initialize(InputSplit split, TaskAttemptContext context) throws IOException {
        FileSplit file = (FileSplit) split;
        open(context.getConfiguration(), file.getPath(), file.getStart(), file.getStart() + file.getLength(), false);
    }

    /**
     * Opens a byte range directly.
     *
     * @param atFrame true if a frame is known to start at {@code start} (no search for the first frame)
     */
    void open(Configuration conf, Path path, long start, long end, boolean atFrame) throws IOException {
        this.start = start;
        this.end = end;
        in = open(conf, path, atFrame || start == 0 ? start : start - 1);
        scanner = new FrameScanner(in, start, end, atFrame || start == 0);
    }

    /** The file's bytes from {@code from} on, decompressed if its name says it is compressed. */
    static InputStream open(Configuration conf, Path path, long from) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        FSDataInputStream raw = fs.open(path);
        try {
            if (codec == null) {
                raw.seek(from);
                return new BufferedInputStream(raw, BUFFER);
            }
            InputStream in = new BufferedInputStream(codec.createInputStream(raw), BUFFER);
            in.skipNBytes(from);
            return in;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    @Override
    public boolean nextKeyValue() throws IOException {
        frame = scanner.next();
        if (frame == null) {
            return false;
        }
        key.set(frame.offset());
        value.set(frame.text());
        return true;
    }

    /** @return the current frame's text */
    String text() {
        return frame.text();
    }

    @Override
    public LongWritable getCurrentKey() {
        return key;
    }

    @Override
    public Text getCurrentValue() {
        return value;
    }

    /** @return the lines before the current frame's count line, counted from the split's first byte */
    public long linesBefore() {
        return frame.lineFromStart();
    }

    /** @return the line ends in the split, once {@link #nextKeyValue()} has returned false */
    public long terminators() {
        return scanner.terminators();
    }

    /** @return where the frame after the split's last one starts, −1 at the end of the file */
    public long nextStart() {
        return scanner.nextStart();
    }

    /** @return the lines before {@link #nextStart()}, counted from the split's first byte */
    public long nextLine() {
        return scanner.nextLine();
    }

    @Override
    public float getProgress() {
        return frame == null || end == start ? 0f : Math.min(1f, (frame.offset() - start) / (float) (end - start));
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }
}
