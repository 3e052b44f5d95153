package org.soapstone.engine.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.FitParameters;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.gp.sparse.CurSelection;
import org.soapstone.gp.sparse.IndexFileSelection;
import org.soapstone.gp.sparse.RandomSelection;
import org.soapstone.gp.sparse.SparsePointSelection;
import org.soapstone.gp.sparse.UniformSelection;

/**
 * The first pass of a fit, as gap_fit's {@code gpCoordinates_sparsify_config_type}: every training frame's
 * descriptors (without gradients) for each term, duplicates removed (gap_fit's {@code exclude_duplicates}, to
 * {@code unique_descriptor_tolerance}), the sparse points chosen by the term's {@code sparse_method}
 * ({@code cur_points}, {@code random}, {@code uniform}, {@code index_file} (1-based), {@code file}, {@code none})
 * with their cutoff weights, and the ard_se length scales ({@code theta_uniform}, else {@code theta_file}, else
 * {@code theta_fac} (default 1) × the range of each component over the training set, widened over the kernel's
 * permutations for distance_Nb, as gap_fit). The result is the model's terms with α = 0, ready for {@link SparseGpSolve}.
 */
public final class SparsePointChooser {
    /** gap_fit's THETA_MIN: a length scale from theta_fac below it becomes 1. */
    private static final double THETA_MIN = 1e-6;

    private SparsePointChooser() {
    }

    /** The instances of one term over the whole training set: descriptor rows and cutoff weights. */
    record Instances(int dimension, double[] values, double[] cutoffWeights) {
        int count() {
            return cutoffWeights.length;
        }
    }

    /**
     * Chooses the sparse points of every term.
     *
     * @param label prefix of the terms' labels (term i is {@code label + i})
     * @param specs the descriptor strings, already expanded per species ({@link DescriptorSpec#addSpecies})
     * @param frames the training frames
     * @param seed random seed (CUR, random and uniform selections)
     * @param threads worker threads for the descriptors
     * @param listener progress, in frames
     * @param notes receives what a user should know (e.g. fewer candidates than n_sparse)
     * @return one term per spec, α = 0
     */
    public static List<GapTerm> choose(String label, List<DescriptorSpec> specs, List<TrainingFrame> frames, long seed,
            int threads, FitListener listener, List<String> notes) {
        Descriptor[] descriptors = new Descriptor[specs.size()];
        for (int t = 0; t < descriptors.length; t++) {
            descriptors[t] = specs.get(t).create();
            CovarianceType type = specs.get(t).fit().covarianceType().orElseThrow();
            if (!GapKernelRows.fittable(type)) {
                throw new FitSettingsException("descriptor " + (t + 1) + ": covariance_type=" + type.name().toLowerCase()
                        + " cannot be fitted by Soapstone; use dot_product or ard_se (gaussian)");
            }
        }
        listener.stage("descriptors", frames.size());
        Instances[] instances = describe(descriptors, frames, threads, listener);
        List<GapTerm> terms = new ArrayList<>();
        for (int t = 0; t < descriptors.length; t++) {
            terms.add(term(label + t, specs.get(t), t + 1, instances[t], seed, notes));
        }
        return terms;
    }

    /** Descriptors of every frame, in frame order, on {@code threads} threads. */
    static Instances[] describe(Descriptor[] descriptors, List<TrainingFrame> frames, int threads,
            FitListener listener) {
        double cutoff = 0;
        for (Descriptor d : descriptors) {
            cutoff = Math.max(cutoff, d.cutoff());
        }
        double c = cutoff;
        double[][][] values = new double[descriptors.length][frames.size()][];
        double[][][] weights = new double[descriptors.length][frames.size()][];
        AtomicInteger next = new AtomicInteger();
        RuntimeException[] failure = new RuntimeException[1];
        Runnable work = () -> {
            DescriptorOutput[] outs = new DescriptorOutput[descriptors.length];
            for (int t = 0; t < outs.length; t++) {
                outs[t] = descriptors[t].newOutput();
            }
            for (int f = next.getAndIncrement(); f < frames.size(); f = next.getAndIncrement()) {
                TrainingFrame frame = frames.get(f);
                try {
                    NeighbourList nl = NeighbourList.build(frame.structure(), c, true);
                    for (int t = 0; t < outs.length; t++) {
                        descriptors[t].compute(frame.structure(), nl, false, outs[t]);
                        int n = outs[t].count();
                        values[t][f] = Arrays.copyOf(outs[t].values(), n * outs[t].dimension());
                        double[] w = new double[n];
                        for (int i = 0; i < n; i++) {
                            w[i] = outs[t].cutoffWeight(i);
                        }
                        weights[t][f] = w;
                    }
                } catch (IllegalArgumentException e) {
                    synchronized (failure) {
                        failure[0] = new IllegalArgumentException("frame " + frame.index() + " (line " + frame.line()
                                + "): " + e.getMessage(), e);
                    }
                    return;
                }
                listener.advance(1);
            }
        };
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            workers.add(Thread.ofPlatform().name("fit-descriptors-" + w).start(work));
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while computing descriptors", e);
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        Instances[] out = new Instances[descriptors.length];
        for (int t = 0; t < out.length; t++) {
            int d = descriptors[t].dimension();
            int n = 0;
            for (double[] w : weights[t]) {
                n += w.length;
            }
            double[] x = new double[n * d];
            double[] w = new double[n];
            int at = 0;
            for (int f = 0; f < frames.size(); f++) {
                System.arraycopy(values[t][f], 0, x, at * d, values[t][f].length);
                System.arraycopy(weights[t][f], 0, w, at, weights[t][f].length);
                at += weights[t][f].length;
            }
            out[t] = new Instances(d, x, w);
        }
        return out;
    }

    private static GapTerm term(String label, DescriptorSpec spec, int number, Instances all, long seed,
            List<String> notes) {
        FitParameters p = spec.fit();
        String name = "descriptor " + number + " (" + spec.text().strip().split("\\s+")[0] + ")";
        if (all.count() == 0) {
            throw new FitSettingsException(name + " has no instances in the training set (no atom of its species?)");
        }
        if (!p.configTypeNSparse().isEmpty()) {
            throw new FitSettingsException(name + ": config_type_n_sparse is not supported yet; use n_sparse");
        }
        CovarianceType type = p.covarianceType().orElseThrow();
        int d = all.dimension();
        double[] theta = type == CovarianceType.ARD_SE
                ? theta(name, p, all, spec.descriptor().permutations(all.dimension())) : new double[0];
        double zeta = 1.0;
        if (type == CovarianceType.DOT_PRODUCT) {
            if (p.zeta().isEmpty()) {
                throw new FitSettingsException(name + ": covariance_type=dot_product needs zeta (gap_fit's soap_exponent)");
            }
            zeta = p.zeta().getAsDouble();
        }
        double[] sparseX;
        double[] sparseCutoff;
        switch (p.sparseMethod()) {
            case FILE -> {
                double[] file = numbers(Path.of(p.sparseFile()), name);
                if (file.length % (d + 1) != 0 || file.length == 0) {
                    throw new FitSettingsException(name + ": sparse_file " + p.sparseFile() + " has " + file.length
                            + " numbers, not a multiple of " + (d + 1) + " (a cutoff and " + d + " components per point)");
                }
                int m = file.length / (d + 1);
                sparseX = new double[m * d];
                sparseCutoff = new double[m];
                for (int s = 0; s < m; s++) {
                    sparseCutoff[s] = file[s * (d + 1)];
                    System.arraycopy(file, s * (d + 1) + 1, sparseX, s * d, d);
                }
            }
            default -> {
                int[] unique = unique(all, p.uniqueDescriptorTolerance());
                double[] candidates = new double[unique.length * d];
                for (int i = 0; i < unique.length; i++) {
                    System.arraycopy(all.values(), unique[i] * d, candidates, i * d, d);
                }
                int[] chosen = select(name, p, candidates, d, unique.length, seed, notes);
                sparseX = new double[chosen.length * d];
                sparseCutoff = new double[chosen.length];
                for (int s = 0; s < chosen.length; s++) {
                    int i = unique[chosen[s]];
                    System.arraycopy(all.values(), i * d, sparseX, s * d, d);
                    sparseCutoff[s] = all.cutoffWeights()[i];
                }
            }
        }
        return new GapTerm(label, spec, type, p.delta().getAsDouble(), p.f0(), zeta, theta, sparseX,
                new double[sparseCutoff.length], sparseCutoff);
    }

    private static int[] select(String name, FitParameters p, double[] candidates, int d, int n, long seed,
            List<String> notes) {
        if (p.sparseMethod() == org.soapstone.engine.descriptor.SparseMethod.NONE) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        if (p.sparseMethod() == org.soapstone.engine.descriptor.SparseMethod.INDEX_FILE) {
            return new IndexFileSelection(Path.of(p.sparseFile()), 1).read(n);
        }
        int m = p.nSparse();
        if (m < 1) {
            throw new FitSettingsException(name + ": n_sparse must be at least 1 (or sparse_method=none)");
        }
        if (m > n) {
            notes.add(name + ": " + n + " distinct environments, fewer than n_sparse=" + m + "; using all of them");
            m = n;
        }
        SparsePointSelection rule = switch (p.sparseMethod()) {
            case CUR_POINTS -> new CurSelection(seed);
            case RANDOM -> new RandomSelection(seed);
            case UNIFORM -> new UniformSelection(seed);
            default -> throw new FitSettingsException(name + ": sparse_method=" + p.sparseMethod().name().toLowerCase()
                    + " is not supported; use cur_points, random, uniform, index_file, file or none");
        };
        int[] chosen = rule.indices(candidates, d, m);
        Arrays.sort(chosen);
        return chosen;
    }

    private static double[] theta(String name, FitParameters p, Instances all, int[][] permutations) {
        int d = all.dimension();
        if (p.thetaUniform().isPresent() && !p.thetaFile().isEmpty()) {
            throw new FitSettingsException(name + ": give only one of theta_uniform, theta_fac, theta_file");
        }
        double[] theta = new double[d];
        if (p.thetaUniform().isPresent()) {
            Arrays.fill(theta, p.thetaUniform().getAsDouble());
        } else if (!p.thetaFile().isEmpty()) {
            theta = numbers(Path.of(p.thetaFile()), name);
            if (theta.length != d) {
                throw new FitSettingsException(name + ": theta_file " + p.thetaFile() + " has " + theta.length
                        + " values, the descriptor " + d + " components");
            }
        } else {
            double[] factor = p.lengthscaleFactor();
            if (factor.length != 1 && factor.length != d) {
                throw new FitSettingsException(name + ": theta_fac has " + factor.length + " values; give 1 or " + d);
            }
            double[] lo = new double[d];
            double[] hi = new double[d];
            for (int c = 0; c < d; c++) {
                lo[c] = Double.POSITIVE_INFINITY;
                hi[c] = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < all.count(); i++) {
                    lo[c] = Math.min(lo[c], all.values()[i * d + c]);
                    hi[c] = Math.max(hi[c], all.values()[i * d + c]);
                }
            }
            // gap_fit widens each component's range over the kernel's permutations, in place, permutation by
            // permutation (gpCoordinates_setThetaFactor)
            for (int[] pi : permutations) {
                for (int c = 0; c < d; c++) {
                    hi[c] = Math.max(hi[c], hi[pi[c]]);
                    lo[c] = Math.min(lo[c], lo[pi[c]]);
                }
            }
            for (int c = 0; c < d; c++) {
                theta[c] = (hi[c] - lo[c]) * factor[factor.length == 1 ? 0 : c];
                if (theta[c] < THETA_MIN) {
                    theta[c] = 1.0;
                }
            }
        }
        for (int c = 0; c < d; c++) {
            if (!(theta[c] > 0) || !Double.isFinite(theta[c])) {
                throw new FitSettingsException(name + ": length scale " + theta[c] + " of component " + (c + 1)
                        + " must be positive");
            }
        }
        return theta;
    }

    /**
     * Indices of the first of each group of rows equal to within {@code tolerance} in every component (gap_fit's
     * {@code exclude_duplicates}), in increasing order.
     */
    static int[] unique(Instances all, double tolerance) {
        int n = all.count();
        int d = all.dimension();
        double[] x = all.values();
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(x[a * d], x[b * d]) != 0 ? Double.compare(x[a * d], x[b * d])
                : Integer.compare(a, b));
        boolean[] duplicate = new boolean[n];
        for (int i = 0; i < n; i++) {
            int a = order[i];
            if (duplicate[a]) {
                continue;
            }
            for (int j = i + 1; j < n && x[order[j] * d] - x[a * d] <= tolerance; j++) {
                int b = order[j];
                if (!duplicate[b] && same(x, a, b, d, tolerance)) {
                    duplicate[Math.max(a, b)] = true;
                }
            }
        }
        int count = 0;
        int[] keep = new int[n];
        for (int i = 0; i < n; i++) {
            if (!duplicate[i]) {
                keep[count++] = i;
            }
        }
        return Arrays.copyOf(keep, count);
    }

    private static boolean same(double[] x, int a, int b, int d, double tolerance) {
        for (int c = 0; c < d; c++) {
            if (Math.abs(x[a * d + c] - x[b * d + c]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    private static double[] numbers(Path file, String name) {
        try {
            String[] fields = Files.readString(file).strip().split("\\s+");
            double[] v = new double[fields.length];
            for (int i = 0; i < fields.length; i++) {
                try {
                    v[i] = Double.parseDouble(fields[i]);
                } catch (NumberFormatException e) {
                    throw new FitSettingsException(name + ": " + file + ": value " + (i + 1) + " '" + fields[i]
                            + "' is not a number");
                }
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read " + file, e);
        }
    }
}
