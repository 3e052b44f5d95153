package org.soapstone.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.LongAccumulator;
import org.soapstone.engine.fit.DesignParts;
import org.soapstone.engine.fit.FitDesign;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.SparsePointChooser;
import org.soapstone.engine.fit.TrainingCensus;
import org.soapstone.engine.fit.TrainingDataException;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.io.ExtXyzFormatException;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.FactorTree;
import org.soapstone.gp.QrAccumulator;

/**
 * The work of the fit's tasks, as pure functions of their inputs (so a retried or re-run task returns the same
 * result): find frames, read and count them, choose the sparse points, fold a chunk into its R factors, merge two
 * nodes of the tree, hash a file.
 */
final class FitTasks {
    private FitTasks() {
    }

    /** The frames of a split and the census of them, or the first error met (data errors are not retried). */
    record SplitCensus(TrainingCensus census, int[] rows, String error, int errorIndex) implements Serializable {
    }

    /** The chosen terms and what the choice wants the user to know. */
    record SparseChoice(List<FitInputs.Term> terms, List<String> notes) implements Serializable {
    }

    /**
     * A chunk of the reduction: consecutive frames, as segments of files.
     *
     * @param index the chunk's place, its leaf in the tree
     * @param segments the chunk's frames
     */
    record Chunk(int index, List<Segment> segments) implements Serializable {
    }

    /** First pass: where the frames of a split start, its line ends, where the next frame starts. */
    static SplitIndex index(Configuration conf, Segment split) throws IOException {
        ExtXyzRecordReader reader = new ExtXyzRecordReader();
        try {
            reader.open(conf, new Path(split.file()), split.start(), split.end(), false);
            List<long[]> found = new ArrayList<>();
            while (reader.nextKeyValue()) {
                found.add(new long[] {reader.getCurrentKey().get(), reader.linesBefore()});
            }
            long[] offsets = new long[found.size()];
            long[] lines = new long[found.size()];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = found.get(i)[0];
                lines[i] = found.get(i)[1];
            }
            return new SplitIndex(offsets, lines, reader.terminators(), reader.nextStart(), reader.nextLine());
        } finally {
            reader.close();
        }
    }

    /** Second pass: every frame of a split read and labelled; the census and each frame's design rows. */
    static SplitCensus census(Configuration conf, FitInputs inputs, Segment split, LongAccumulator progress)
            throws IOException {
        FitSettings settings = inputs.settings();
        double cutoff = settings.maxCutoff();
        TrainingCensus census = new TrainingCensus();
        int[] rows = new int[16];
        int count = 0;
        try (FrameReader reader = new FrameReader(conf, split, settings)) {
            for (TrainingFrame f = reader.next(); f != null; f = reader.next()) {
                census.add(f, split.file(), cutoff);
                if (count == rows.length) {
                    rows = java.util.Arrays.copyOf(rows, 2 * count);
                }
                rows[count++] = FitDesign.rowCount(f);
                progress.add(1);
            }
            census.tally().add(reader.tally());
        } catch (TrainingDataException | ExtXyzFormatException e) {
            return new SplitCensus(null, null, e.getMessage(), split.firstIndex() + count);
        }
        return new SplitCensus(census, java.util.Arrays.copyOf(rows, count), null, -1);
    }

    /**
     * The sparse points, chosen as {@code soapstone fit} chooses them ({@link SparsePointChooser}, unchanged) on
     * the positions of every frame, in order: this one task holds the candidates' descriptors (N_atoms × D numbers).
     */
    static SparseChoice sparse(Configuration conf, FitInputs inputs, List<Segment> segments, String label, long seed,
            int threads, LongAccumulator progress) throws IOException {
        FitSettings settings = inputs.settings();
        List<TrainingFrame> frames = new ArrayList<>();
        for (Segment s : segments) {
            try (FrameReader reader = new FrameReader(conf, s, settings)) {
                for (TrainingFrame f = reader.next(); f != null; f = reader.next()) {
                    frames.add(positionsOnly(f));
                }
            }
        }
        List<String> notes = new ArrayList<>();
        List<GapTerm> terms = SparsePointChooser.choose(label, org.soapstone.engine.fit.GapFit.termSpecs(settings,
                inputs.species()), frames, seed, java.nio.file.Path.of(""), settings.configTypeSigma().keySet(), threads,
                new FitListener() {
                    @Override
                    public void advance(long units) {
                        progress.add(units);
                    }
                }, notes).terms();
        return new SparseChoice(inputs.withTerms(terms).terms(), notes);
    }

    /** The frame with only what sparse points are chosen from: species, positions, cell, config type. */
    private static TrainingFrame positionsOnly(TrainingFrame f) {
        Structure s = f.structure();
        Structure bare = new Structure(s.numbers(), s.positions(), s.cell());
        return new TrainingFrame(f.index(), f.line(), bare, f.configType(), Double.NaN, Double.NaN, null, null, null,
                null);
    }

    /**
     * Third pass: one chunk's frames, block by block ({@link SparseGpSolve#blocks}), assembled into design rows
     * ({@link FitDesign}) and folded in order into the chunk's R factors — what a fit on threads does with the same
     * chunk.
     *
     * @param concurrentTasks tasks sharing this executor's heap, for the memory check
     */
    static PackedFactors fold(Configuration conf, FitInputs inputs, Chunk chunk, DesignParts parts,
            int concurrentTasks, LongAccumulator progress) throws IOException {
        FitSettings settings = inputs.settings();
        List<GapTerm> terms = inputs.gapTerms(settings);
        GapKernelRows rows = new GapKernelRows(terms);
        ExecutorMemory.check(rows.columns(), parts.count(), concurrentTasks, Runtime.getRuntime().maxMemory());
        FitDesign design = new FitDesign(rows, inputs.e0());
        try (ChunkFrames frames = new ChunkFrames(conf, chunk.segments(), settings)) {
            Iterable<List<TrainingFrame>> blocks = () -> SparseGpSolve.blocks(frames);
            QrAccumulator[] acc = FactorTree.fold(blocks, block -> {
                var b = parts.assemble(design, block);
                progress.add(block.size());
                return b;
            }, parts.count(), rows.columns());
            return PackedFactors.pack(chunk.index(), acc);
        }
    }

    /** The frames of a chunk's segments, one after the other, read as they are asked for. */
    private static final class ChunkFrames implements java.util.Iterator<TrainingFrame>, AutoCloseable {
        private final Configuration conf;
        private final java.util.Iterator<Segment> segments;
        private final FitSettings settings;
        private FrameReader reader;
        private TrainingFrame next;

        ChunkFrames(Configuration conf, List<Segment> segments, FitSettings settings) throws IOException {
            this.conf = conf;
            this.segments = segments.iterator();
            this.settings = settings;
            advance();
        }

        private void advance() throws IOException {
            next = reader == null ? null : reader.next();
            while (next == null && segments.hasNext()) {
                close();
                reader = new FrameReader(conf, segments.next(), settings);
                next = reader.next();
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public TrainingFrame next() {
            if (next == null) {
                throw new java.util.NoSuchElementException();
            }
            TrainingFrame f = next;
            try {
                advance();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return f;
        }

        @Override
        public void close() throws IOException {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }

    /** A node of the tree: its two children (by their index at the level below), left merged with right. */
    static PackedFactors merge(int index, Iterable<PackedFactors> children) {
        PackedFactors left = null;
        PackedFactors right = null;
        for (PackedFactors c : children) {
            if (c.index() == 2 * index) {
                left = c;
            } else if (c.index() == 2 * index + 1) {
                right = c;
            } else {
                throw new IllegalStateException("node " + c.index() + " is not a child of " + index);
            }
        }
        if (left == null) {
            throw new IllegalStateException("node " + index + " has no left child");
        }
        QrAccumulator[] merged = left.unpack();
        if (right != null) {
            FactorTree.merge(merged, right.unpack());
        }
        return PackedFactors.pack(index, merged);
    }

    /** SHA-256 of a file's bytes, lowercase hex (as {@code soapstone fit} records its training file). */
    static String sha256(Configuration conf, String file) {
        Path path = new Path(file);
        try (InputStream in = path.getFileSystem(conf).open(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int r = in.read(buffer); r > 0; r = in.read(buffer)) {
                digest.update(buffer, 0, r);
            }
            return HexFormat.of().formatHex(digest.digest()).toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
