package org.soapstone.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.soapstone.engine.fit.DesignParts;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.TrainingCensus;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.FitProvenance;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.gp.QrAccumulator;
import scala.Tuple2;

/**
 * {@code soapstone fit --spark}: the fit of {@link GapFit} with the training set read, described and reduced on a
 * Spark cluster. The driver holds where each frame lies, the sparse points and the R factors — never the frames.
 * <ol>
 * <li><b>read frames</b>: {@code at_file} (file, directory or glob on any Hadoop file system) in splits
 *     ({@link ExtXyzInputFormat}); a first pass finds the frames of each split, a second reads and labels them and
 *     gathers the {@link TrainingCensus} (species, e0, counts) and each frame's design rows.</li>
 * <li><b>descriptors and sparse points</b>: one task chooses them exactly as {@code soapstone fit} does
 *     ({@link org.soapstone.engine.fit.SparsePointChooser}, on every frame in order, the same seed).</li>
 * <li><b>covariance and QR</b>: the frames split into chunks by {@link SparseGpSolve#chunkStarts} (one per
 *     partition), each task folding its chunk's design blocks into its R factor; <b>merge R factors</b>: the binary
 *     tree of {@link org.soapstone.gp.FactorTree}, level by level, fixed by chunk index.</li>
 * <li><b>solve</b> on the driver ({@link SparseGpSolve#solve}); the model file is the same as {@code soapstone fit}
 *     writes, posterior included.</li>
 * </ol>
 * With as many partitions as {@code soapstone fit} has chunks ({@link SparseGpSolve#chunks}: one per thread unless
 * M is large), both fits reduce the same chunks in the same order
 * and give the same model bit for bit; a retried task recomputes the same chunk, so retries change nothing. Executor
 * memory is O(M² + block·M) whatever the number of frames (the sparse-point task excepted, which holds the
 * candidates' descriptors as gap_fit does).
 */
public final class SparkGapFit {
    private SparkGapFit() {
    }

    /**
     * How the fit uses the cluster.
     *
     * @param partitions chunks of the reduction (≤ 0: the cluster's default parallelism)
     * @param optimiseEvaluations 0 for gap_fit's fit, else the cap on likelihood evaluations of {@code --optimise}
     */
    public record Options(int partitions, int optimiseEvaluations) {
    }

    /**
     * Runs the fit.
     *
     * @param line the parsed gap_fit command line
     * @param directory the working directory its paths were resolved against
     * @param version the Soapstone version, for the provenance
     * @param listener progress, in frames, per stage
     * @return the model, provenance, notes and time per stage
     * @throws SparkFitException with one line naming file, line and field for bad data, or saying why the cluster
     *     cannot run the fit
     */
    public static GapFit.Result run(JavaSparkContext sc, GapFitCommandLine line, Path directory, Options options,
            String version, FitListener listener) {
        try {
            return fit(sc, line, directory, options, version, listener);
        } catch (IOException e) {
            throw new SparkFitException(SparkFailures.describe(e), e);
        } catch (RuntimeException e) {
            if (e instanceof SparkFitException || e instanceof org.soapstone.engine.fit.TrainingDataException
                    || e instanceof org.soapstone.engine.fit.FitSettingsException) {
                throw e;
            }
            throw new SparkFitException(SparkFailures.describe(e), e);
        } finally {
            sc.setJobDescription(null);
            sc.setCallSite((String) null);
        }
    }

    private static GapFit.Result fit(JavaSparkContext sc, GapFitCommandLine line, Path directory, Options options,
            String version, FitListener listener) throws IOException {
        FitSettings settings = line.settings();
        String location = line.atFileArgument();
        int partitions = options.partitions() > 0 ? options.partitions() : sc.defaultParallelism();
        int cores = Cluster.coresPerExecutor(sc);
        Configuration conf = sc.hadoopConfiguration();
        Broadcast<SerializableConfiguration> hadoop = SerializableConfiguration.broadcast(sc.sc(), conf);
        Map<String, Double> seconds = new LinkedHashMap<>();
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        try (SparkProgress progress = new SparkProgress(sc, listener)) {
            // read frames: where they are, then what they hold
            List<Segment> splits = TrainingFiles.splits(conf, location, partitions);
            name(sc, "read frames: frame boundaries");
            List<SplitIndex> index = sc.parallelize(splits, splits.size())
                    .map(s -> FitTasks.index(hadoop.value().value(), s)).collect();
            FrameTable table;
            try {
                table = new FrameTable(splits, index);
            } catch (FrameTable.GapException e) {
                throw Diagnosis.of(conf, settings, e.gap(), e.getMessage());
            }
            FitInputs reading = new FitInputs(line.effectiveArguments(), directory.toString(), new int[0],
                    new double[119], null);
            LongAccumulator read = progress.stage("read frames", table.frames());
            name(sc, "read frames");
            List<FitTasks.SplitCensus> parts = sc.parallelize(table.splits(), table.splits().size())
                    .map(s -> FitTasks.census(hadoop.value().value(), reading, s, read)).collect();
            progress.done(read);
            TrainingCensus census = new TrainingCensus();
            int[] rows = new int[table.frames()];
            int at = 0;
            for (FitTasks.SplitCensus c : parts) {
                if (c.error() != null) {
                    throw new SparkFitException(c.error());
                }
                census.add(c.census());
                System.arraycopy(c.rows(), 0, rows, at, c.rows().length);
                at += c.rows().length;
            }
            List<String> notes = new ArrayList<>(census.tally().notes(settings));
            double[] e0 = census.e0(settings, location, notes);
            long t1 = System.nanoTime();
            seconds.put("read frames", (t1 - t0) * 1e-9);

            // descriptors and sparse points: one task, soapstone fit's chooser
            long seed = GapFit.seed(settings, notes);
            String label = GapFit.label(start);
            FitInputs chosen = new FitInputs(line.effectiveArguments(), directory.toString(), census.species(), e0,
                    null);
            List<Segment> all = table.segments(0, table.frames());
            LongAccumulator described = progress.stage("descriptors and sparse points", table.frames());
            name(sc, "descriptors and sparse points");
            FitTasks.SparseChoice choice = sc.parallelize(List.of(0), 1)
                    .map(x -> FitTasks.sparse(hadoop.value().value(), chosen, all, label + "_", seed, cores,
                            described)).collect().get(0);
            progress.done(described);
            notes.addAll(choice.notes());
            FitInputs inputs = new FitInputs(chosen.arguments(), chosen.directory(), chosen.species(), e0,
                    choice.terms());
            List<GapTerm> terms = inputs.gapTerms(settings);
            long t2 = System.nanoTime();
            seconds.put("descriptors and sparse points", (t2 - t1) * 1e-9);

            // covariance and QR: a chunk per partition, merged by the tree
            DesignParts design = options.optimiseEvaluations() > 0 ? DesignParts.BY_KIND : DesignParts.WHOLE;
            int m = new GapKernelRows(terms).columns();
            ExecutorMemory.check(m, design.count(), cores, Cluster.executorHeap(sc));
            int[] starts = SparseGpSolve.chunkStarts(rows, partitions);
            List<FitTasks.Chunk> chunks = new ArrayList<>();
            for (int c = 0; c < starts.length; c++) {
                int end = c + 1 < starts.length ? starts[c + 1] : table.frames();
                chunks.add(new FitTasks.Chunk(c, table.segments(starts[c], end)));
            }
            Broadcast<FitInputs> shared = sc.broadcast(inputs);
            LongAccumulator folded = progress.stage("covariance and QR", table.frames());
            sc.setJobDescription("covariance and QR");
            sc.setCallSite("covariance and QR");
            JavaRDD<PackedFactors> leaves = sc.parallelize(chunks, chunks.size())
                    .map(c -> FitTasks.fold(hadoop.value().value(), shared.value(), c, design, cores, folded));
            QrAccumulator[] data = tree(sc, leaves, chunks.size()).unpack();
            progress.done(folded);
            shared.destroy();
            long t3 = System.nanoTime();
            seconds.put("covariance and QR", (t3 - t2) * 1e-9);

            // solve, on the driver
            listener.stage("solve", 1);
            GapModel model;
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("species", String.join(" ", java.util.Arrays.stream(census.species())
                    .mapToObj(z -> org.soapstone.engine.structure.Element.of(z).symbol()).toList()));
            extra.put("spark_master", sc.master());
            extra.put("partitions", Integer.toString(chunks.size()));
            if (options.optimiseEvaluations() > 0) {
                SparseGpSolve.Optimised o = SparseGpSolve.optimise(label, e0, terms, settings.sparseJitter(), data,
                        options.optimiseEvaluations(), true);
                model = o.model();
                GapFit.describe(o, settings, notes, extra);
            } else {
                model = SparseGpSolve.solve(label, e0, terms, settings.sparseJitter(), data[0]);
            }
            listener.advance(1);
            long t4 = System.nanoTime();
            seconds.put("solve", (t4 - t3) * 1e-9);

            name(sc, "checksums");
            List<String> files = table.files();
            List<String> sums = sc.parallelize(files, files.size()).map(f -> FitTasks.sha256(hadoop.value().value(),
                    f)).collect();
            Map<String, String> hashes = new LinkedHashMap<>();
            for (int i = 0; i < files.size(); i++) {
                java.net.URI uri = new org.apache.hadoop.fs.Path(files.get(i)).toUri();
                hashes.put("file".equals(uri.getScheme()) ? uri.getPath() : files.get(i), sums.get(i));
            }
            seconds.put("checksums", (System.nanoTime() - t4) * 1e-9);
            FitProvenance provenance = GapFit.provenance(version, start, settings, hashes, model, census.frames(),
                    census.atoms(), seed, (t4 - t0) * 1e-9, extra);
            return new GapFit.Result(model, provenance, notes, seconds);
        }
    }

    /**
     * The fixed tree over the chunks' factors: at each level node i merges nodes 2i and 2i + 1 below, whichever
     * executor holds them; the root comes to the driver.
     */
    private static PackedFactors tree(JavaSparkContext sc, JavaRDD<PackedFactors> leaves, int count) {
        JavaRDD<PackedFactors> level = leaves;
        int n = count;
        for (int depth = 1; n > 1; depth++) {
            int up = (n + 1) / 2;
            sc.setCallSite(depth == 1 ? "covariance and QR" : "merge R factors, level " + (depth - 1));
            var keyed = level.mapToPair(p -> new Tuple2<>(p.index() / 2, p));
            sc.setCallSite("merge R factors, level " + depth);
            level = keyed.groupByKey(new IndexPartitioner(up)).map(t -> FitTasks.merge(t._1(), t._2()));
            n = up;
        }
        List<PackedFactors> root = level.collect();
        if (root.size() != 1 || root.get(0).index() != 0) {
            throw new IllegalStateException("the tree has " + root.size() + " roots");
        }
        return root.get(0);
    }

    private static void name(JavaSparkContext sc, String stage) {
        sc.setJobDescription(stage);
        sc.setCallSite(stage);
    }

    /** Sends key k to partition k: node k of a level of the tree. */
    static final class IndexPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        IndexPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof IndexPartitioner p && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    /** Describes the frame at which a file's splits did not chain: its own error if it has one. */
    private static final class Diagnosis {
        static RuntimeException of(Configuration conf, FitSettings settings, FrameTable.Gap gap, String message)
                throws IOException {
            Segment at = new Segment(gap.file(), gap.offset(), Long.MAX_VALUE, true, 0, 0, gap.line());
            try (FrameReader reader = new FrameReader(conf, at, settings)) {
                TrainingFrame frame = reader.next();
                if (frame == null) {
                    return new SparkFitException(message);
                }
            } catch (RuntimeException e) {
                return new SparkFitException(SparkFailures.describe(e), e);
            }
            return new SparkFitException(String.format(Locale.ROOT, "%s: the frame there reads well, so the file "
                    + "could not be cut at frame boundaries (is a header line a lone integer?); read it as one split: "
                    + "--conf spark.hadoop.%s=<its size in bytes> or larger", message,
                    "mapreduce.input.fileinputformat.split.minsize"));
        }
    }
}
