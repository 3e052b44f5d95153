package org.soapstone.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.LabelReader;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.io.ExtXyzReader;
import org.soapstone.engine.structure.Structure;

/**
 * The training frames of a {@link Segment}, read as {@code soapstone fit} reads its file: each frame parsed by
 * {@link ExtXyzReader} with the line and frame numbers of the whole file, then labelled by gap_fit's rules
 * ({@link LabelReader}). Errors name the file, line, frame and field as a single-machine fit names them.
 */
final class FrameReader implements AutoCloseable {
    private final Segment segment;
    private final ExtXyzRecordReader records = new ExtXyzRecordReader();
    private final LabelReader labels;
    private int count;

    FrameReader(Configuration conf, Segment segment, FitSettings settings) throws IOException {
        this.segment = segment;
        this.labels = new LabelReader(settings, segment.file());
        records.open(conf, new Path(segment.file()), segment.start(), segment.end(), segment.atFrame());
    }

    /** @return the next frame, or null at the end of the segment */
    TrainingFrame next() throws IOException {
        if (!records.nextKeyValue()) {
            return null;
        }
        long line = segment.firstLine() + records.linesBefore();
        int index = segment.firstIndex() + count;
        int framesBefore = segment.fileFrames() + count;
        count++;
        Structure s;
        try (ExtXyzReader reader = new ExtXyzReader(new BufferedReader(new StringReader(records.text())),
                segment.file(), line, framesBefore)) {
            s = reader.next();
        }
        return labels.read(index, line, s);
    }

    /** @return what the labels of the frames read held */
    LabelReader.Tally tally() {
        return labels.tally();
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
