package org.soapstone.engine.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.FitParameters;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.descriptor.SparseMethod;
import org.soapstone.engine.neighbour.QuipNeighbourOrder;
import org.soapstone.gp.Kernel;
import org.soapstone.gp.sparse.CurSelection;
import org.soapstone.gp.sparse.DuplicateFilter;
import org.soapstone.gp.sparse.IndexFileSelection;
import org.soapstone.gp.sparse.GapFitRandom;
import org.soapstone.gp.sparse.RandomSelection;
import org.soapstone.gp.sparse.SparsePointSelection;
import org.soapstone.gp.sparse.UniformSelection;

/**
 * The first pass of a fit, as gap_fit's {@code gpCoordinates_sparsify_config_type} (GAP's {@code gp_fit.f95}):
 * every training frame's descriptors (without gradients) for each term, numbered as gap_fit numbers them, duplicates
 * set aside as gap_fit's {@code exclude_duplicates} does ({@link DuplicateFilter}, with the term's
 * {@code unique_hash_tolerance} and {@code unique_descriptor_tolerance}), the sparse points chosen by the term's
 * {@code sparse_method} ({@code cur_points}, {@code uniform}, {@code random}, {@code index_file}, {@code file},
 * {@code none}) with their cutoff weights, and the ard_se length scales ({@code theta_uniform}, else
 * {@code theta_file}, else {@code theta_fac} (default 1) × the range of each component over the training set,
 * widened over the kernel's permutations for distance_Nb, as gap_fit). The result is the model's terms with α = 0,
 * ready for {@link SparseGpSolve}, and the chosen instances in gap_fit's numbering ({@code print_sparse_index}).
 *
 * <p>gap_fit's numbering: the instances of a term in frame order and, within a frame, in the order QUIP's
 * descriptor loop produces them (by centre atom, and for pair descriptors by QUIP's neighbour order,
 * {@link QuipNeighbourOrder}, so each bond appears twice); every instance is numbered, duplicates included, from 1.
 * The random draws come from gap_fit's two streams seeded with {@code rnd_seed} ({@link GapFitRandom}: libAtoms'
 * generator and gfortran's {@code random_number}), shared by the terms in order. So the same command line and seed
 * give gap_fit's sparse points for {@code cur_points}, {@code uniform} and {@code random}. The choice ({@link #select}) is a pure function of the instances, the descriptor strings and
 * the seed.
 */
public final class SparsePointChooser {
    /** gap_fit's THETA_MIN: a length scale from theta_fac below it becomes 1. */
    private static final double THETA_MIN = 1e-6;
    /** Two environments whose normalised kernel exceeds this are the same sparse point ({@link #distinct}). */
    public static final double SAME_ENVIRONMENT = 1 - 1e-8;

    private SparsePointChooser() {
    }

    /**
     * The instances of one term over the whole training set, in gap_fit's order.
     *
     * @param dimension the descriptor dimension
     * @param values the descriptor vectors, {@code count × dimension} row-major
     * @param cutoffWeights each instance's cutoff weight
     * @param frame each instance's frame (0-based position in the training set)
     * @param centre each instance's centre atom (0-based)
     */
    public record Instances(int dimension, double[] values, double[] cutoffWeights, int[] frame, int[] centre) {
        /** @return the number of instances */
        public int count() {
            return cutoffWeights.length;
        }
    }

    /**
     * The sparse points of every term.
     *
     * @param terms one term per descriptor string, α = 0
     * @param chosen per term, the chosen instances in gap_fit's numbering (1-based, increasing, the order of the
     *     term's sparse points); empty for {@code sparse_method=file}, whose points are no instances
     * @param instances per term, the instances they were chosen from
     */
    public record Choice(List<GapTerm> terms, List<int[]> chosen, List<Instances> instances) {
    }

    /**
     * Chooses the sparse points of every term, reading file names in the descriptor strings relative to the current
     * directory.
     *
     * @see #choose(String, List, List, long, Path, int, FitListener, List)
     */
    public static List<GapTerm> choose(String label, List<DescriptorSpec> specs, List<TrainingFrame> frames, long seed,
            int threads, FitListener listener, List<String> notes) {
        return choose(label, specs, frames, seed, Path.of(""), threads, listener, notes).terms();
    }

    /**
     * Chooses the sparse points of every term.
     *
     * @param label prefix of the terms' labels (term i is {@code label + i})
     * @param specs the descriptor strings, already expanded per species ({@link DescriptorSpec#addSpecies})
     * @param frames the training frames
     * @param seed gap_fit's {@code rnd_seed}, 1 … 2³¹ − 2
     * @param directory the directory file names in the descriptor strings are relative to
     * @param threads worker threads for the descriptors
     * @param listener progress, in frames
     * @param notes receives what a user should know (e.g. fewer candidates than n_sparse)
     * @return the terms (α = 0) and the chosen instances
     */
    public static Choice choose(String label, List<DescriptorSpec> specs, List<TrainingFrame> frames, long seed,
            Path directory, int threads, FitListener listener, List<String> notes) {
        return choose(label, specs, frames, seed, directory, List.of(), threads, listener, notes);
    }

    /**
     * Chooses the sparse points of every term, with gap_fit's list of config types ({@link ConfigTypes}) for
     * {@code config_type_n_sparse}.
     *
     * @param configTypeSigma the config types of {@code config_type_sigma}, in the order given (empty if none)
     * @see #choose(String, List, List, long, Path, int, FitListener, List)
     */
    public static Choice choose(String label, List<DescriptorSpec> specs, List<TrainingFrame> frames, long seed,
            Path directory, Collection<String> configTypeSigma, int threads, FitListener listener,
            List<String> notes) {
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
        ConfigTypes types = ConfigTypes.of(configTypeSigma, specs, frames.stream().map(TrainingFrame::configType)
                .toList());
        return select(label, specs, List.of(instances), types, seed, directory, notes);
    }

    /**
     * Chooses the sparse points of every term from its instances, as gap_fit does: a pure function of the
     * instances (in gap_fit's order), the descriptor strings, the seed and the files they name. One generator,
     * seeded with {@code seed}, serves the terms in order.
     *
     * @param label prefix of the terms' labels (term i is {@code label + i})
     * @param specs the descriptor strings, one per term
     * @param instances the instances of each term, in gap_fit's order ({@link #describe})
     * @param types the config type of each frame, in gap_fit's numbering
     * @param seed gap_fit's {@code rnd_seed}, 1 … 2³¹ − 2
     * @param directory the directory file names in the descriptor strings are relative to
     * @param notes receives what a user should know
     * @return the terms (α = 0) and the chosen instances
     */
    public static Choice select(String label, List<DescriptorSpec> specs, List<Instances> instances,
            ConfigTypes types, long seed, Path directory, List<String> notes) {
        if (specs.size() != instances.size()) {
            throw new IllegalArgumentException(specs.size() + " descriptor strings but " + instances.size()
                    + " sets of instances");
        }
        GapFitRandom random = new GapFitRandom(seed);
        List<GapTerm> terms = new ArrayList<>();
        List<int[]> chosen = new ArrayList<>();
        for (int t = 0; t < specs.size(); t++) {
            DescriptorSpec spec = specs.get(t);
            String name = "descriptor " + (t + 1) + " (" + spec.text().strip().split("\\s+")[0] + ")";
            Instances all = instances.get(t);
            if (all.count() == 0) {
                throw new FitSettingsException(name + " has no instances in the training set (no atom of its species?)");
            }
            FitParameters p = spec.fit();
            if (!p.configTypeNSparse().isEmpty() && p.nSparse() != 0) {
                throw new FitSettingsException(name + ": give n_sparse or config_type_n_sparse, not both (as gap_fit)");
            }
            int d = all.dimension();
            double[] sparseX;
            double[] sparseCutoff;
            int[] picked;
            if (p.sparseMethod() == SparseMethod.FILE) {
                double[] file = numbers(directory.resolve(p.sparseFile()), name);
                if (file.length % (d + 1) != 0 || file.length == 0) {
                    throw new FitSettingsException(name + ": sparse_file " + p.sparseFile() + " has " + file.length
                            + " numbers, not a multiple of " + (d + 1) + " (a cutoff and " + d + " components per point)");
                }
                int m = file.length / (d + 1);
                checkCount(name, p, m, "sparse_file " + p.sparseFile());
                sparseX = new double[m * d];
                sparseCutoff = new double[m];
                for (int s = 0; s < m; s++) {
                    sparseCutoff[s] = file[s * (d + 1)];
                    System.arraycopy(file, s * (d + 1) + 1, sparseX, s * d, d);
                }
                picked = new int[0];
            } else {
                int[] rows = pick(name, p, all, types, random, directory, notes);
                sparseX = new double[rows.length * d];
                sparseCutoff = new double[rows.length];
                picked = new int[rows.length];
                for (int s = 0; s < rows.length; s++) {
                    System.arraycopy(all.values(), rows[s] * d, sparseX, s * d, d);
                    sparseCutoff[s] = all.cutoffWeights()[rows[s]];
                    picked[s] = rows[s] + 1;
                }
            }
            terms.add(term(label + t, spec, name, all, sparseX, sparseCutoff, directory));
            chosen.add(picked);
        }
        return new Choice(List.copyOf(terms), List.copyOf(chosen), List.copyOf(instances));
    }

    /**
     * gap_fit's total number of sparse points before any is chosen ({@code config_type_n_sparseX}): each term's
     * {@code n_sparse}, or the number of points its {@code sparse_file} gives.
     *
     * @param specs the descriptor strings, expanded per species
     * @param directory the directory file names in them are relative to
     * @return the total
     */
    static int sparseCount(List<DescriptorSpec> specs, Path directory) {
        int total = 0;
        for (DescriptorSpec spec : specs) {
            FitParameters p = spec.fit();
            String name = spec.text().strip().split("\\s+")[0];
            total += switch (p.sparseMethod()) {
                case FILE -> numbers(directory.resolve(p.sparseFile()), name).length
                        / (spec.create().dimension() + 1);
                case INDEX_FILE -> numbers(directory.resolve(p.sparseFile()), name).length;
                default -> p.configTypeNSparse().isEmpty() ? p.nSparse()
                        : ConfigTypes.counts(p.configTypeNSparse(), name).values().stream().mapToInt(i -> i).sum();
            };
        }
        return total;
    }

    /** The chosen instances (0-based, increasing) of a term whose method picks instances. */
    private static int[] pick(String name, FitParameters p, Instances all, ConfigTypes types, GapFitRandom random,
            Path directory, List<String> notes) {
        int n = all.count();
        int d = all.dimension();
        int[] kept = new DuplicateFilter(p.uniqueHashTolerance(), p.uniqueDescriptorTolerance())
                .kept(all.values(), d);
        int[] rows;
        switch (p.sparseMethod()) {
            case NONE -> rows = kept;
            case INDEX_FILE -> {
                rows = new IndexFileSelection(directory.resolve(p.sparseFile()), 1).read(n);
                checkCount(name, p, rows.length, "sparse_file " + p.sparseFile());
            }
            case CUR_POINTS, UNIFORM, RANDOM -> {
                if (!p.configTypeNSparse().isEmpty()) {
                    rows = perConfigType(name, p, all, kept, types, random, notes);
                    break;
                }
                int m = p.nSparse();
                if (m < 1) {
                    throw new FitSettingsException(name + ": n_sparse must be at least 1 (or sparse_method=none)");
                }
                if (m > kept.length) {
                    notes.add(name + ": " + kept.length + " distinct environments, fewer than n_sparse=" + m
                            + "; using all of them");
                    m = kept.length;
                }
                rows = chooseAmong(name, p, all, kept, m, random);
            }
            default -> throw new FitSettingsException(name + ": sparse_method=" + p.sparseMethod().name().toLowerCase()
                    + " is not supported; use cur_points, uniform, random, index_file, file or none");
        }
        int[] sorted = rows.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    /** {@code m} of the candidate instances {@code among} by the term's rule, as instance indices. */
    private static int[] chooseAmong(String name, FitParameters p, Instances all, int[] among, int m,
            GapFitRandom random) {
        int d = all.dimension();
        double[] candidates = new double[among.length * d];
        for (int i = 0; i < among.length; i++) {
            System.arraycopy(all.values(), among[i] * d, candidates, i * d, d);
        }
        SparsePointSelection rule = switch (p.sparseMethod()) {
            case CUR_POINTS -> new CurSelection();
            case UNIFORM -> new UniformSelection();
            default -> new RandomSelection();
        };
        int[] local;
        try {
            local = rule.indices(candidates, d, m, random);
        } catch (IllegalArgumentException e) {
            throw new FitSettingsException(name + ": " + e.getMessage(), e);
        }
        int[] rows = new int[m];
        for (int s = 0; s < m; s++) {
            rows[s] = among[local[s]];
        }
        return rows;
    }

    /**
     * gap_fit's {@code config_type_n_sparse}: config type by config type in gap_fit's list ({@link ConfigTypes}),
     * the given number of points (or all the type has) chosen by the term's rule among the distinct instances of
     * frames of that type, the random streams shared in that order.
     */
    private static int[] perConfigType(String name, FitParameters p, Instances all, int[] kept, ConfigTypes types,
            GapFitRandom random, List<String> notes) {
        Map<String, Integer> wanted = ConfigTypes.counts(p.configTypeNSparse(), name);
        List<Integer> rows = new ArrayList<>();
        for (int type = 0; type < types.order().size(); type++) {
            int want = wanted.getOrDefault(types.order().get(type), 0);
            if (want == 0) {
                continue;
            }
            int of = type;
            int[] among = Arrays.stream(kept).filter(i -> types.indexOfFrame(all.frame()[i]) == of).toArray();
            int m = Math.min(want, among.length);
            if (m < want) {
                notes.add(name + ": config type " + types.order().get(type) + " has " + among.length
                        + " distinct environments, fewer than its config_type_n_sparse " + want + "; using all of them");
            }
            if (m > 0) {
                for (int r : chooseAmong(name, p, all, among, m, random)) {
                    rows.add(r);
                }
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    /** gap_fit's check that an explicit n_sparse agrees with the points a file gives. */
    private static void checkCount(String name, FitParameters p, int count, String file) {
        if (p.nSparse() != 0 && p.nSparse() != count) {
            throw new FitSettingsException(name + ": n_sparse=" + p.nSparse() + " but " + file + " gives " + count
                    + " sparse points (gap_fit requires them to agree, or n_sparse to be left out)");
        }
    }

    /**
     * Descriptors of every frame, in frame order, on {@code threads} threads: each frame's neighbours in QUIP's
     * order ({@link QuipNeighbourOrder}, with the largest cutoff of the terms, as gap_fit connects its frames), so
     * the instances come in gap_fit's order.
     */
    static Instances[] describe(Descriptor[] descriptors, List<TrainingFrame> frames, int threads,
            FitListener listener) {
        double cutoff = 0;
        for (Descriptor d : descriptors) {
            cutoff = Math.max(cutoff, d.cutoff());
        }
        double c = cutoff;
        double[][][] values = new double[descriptors.length][frames.size()][];
        double[][][] weights = new double[descriptors.length][frames.size()][];
        int[][][] centres = new int[descriptors.length][frames.size()][];
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
                    NeighbourList nl = QuipNeighbourOrder.build(frame.structure(), c);
                    for (int t = 0; t < outs.length; t++) {
                        descriptors[t].compute(frame.structure(), nl, false, outs[t]);
                        int n = outs[t].count();
                        values[t][f] = Arrays.copyOf(outs[t].values(), n * outs[t].dimension());
                        double[] w = new double[n];
                        int[] a = new int[n];
                        for (int i = 0; i < n; i++) {
                            w[i] = outs[t].cutoffWeight(i);
                            a[i] = outs[t].centre(i);
                        }
                        weights[t][f] = w;
                        centres[t][f] = a;
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
            int[] frame = new int[n];
            int[] centre = new int[n];
            int at = 0;
            for (int f = 0; f < frames.size(); f++) {
                int k = weights[t][f].length;
                System.arraycopy(values[t][f], 0, x, at * d, values[t][f].length);
                System.arraycopy(weights[t][f], 0, w, at, k);
                System.arraycopy(centres[t][f], 0, centre, at, k);
                Arrays.fill(frame, at, at + k, f);
                at += k;
            }
            out[t] = new Instances(d, x, w, frame, centre);
        }
        return out;
    }

    private static GapTerm term(String label, DescriptorSpec spec, String name, Instances all, double[] sparseX,
            double[] sparseCutoff, Path directory) {
        FitParameters p = spec.fit();
        CovarianceType type = p.covarianceType().orElseThrow();
        double[] theta = type == CovarianceType.ARD_SE
                ? theta(name, p, all, directory, spec.descriptor().permutations(all.dimension())) : new double[0];
        double zeta = 1.0;
        if (type == CovarianceType.DOT_PRODUCT) {
            if (p.zeta().isEmpty()) {
                throw new FitSettingsException(name + ": covariance_type=dot_product needs zeta (gap_fit's soap_exponent)");
            }
            zeta = p.zeta().getAsDouble();
        }
        return new GapTerm(label, spec, type, p.delta().getAsDouble(), p.f0(), zeta, theta, sparseX,
                new double[sparseCutoff.length], sparseCutoff);
    }

    private static double[] theta(String name, FitParameters p, Instances all, Path directory, int[][] permutations) {
        int d = all.dimension();
        if (p.thetaUniform().isPresent() && !p.thetaFile().isEmpty()) {
            throw new FitSettingsException(name + ": give only one of theta_uniform, theta_fac, theta_file");
        }
        double[] theta = new double[d];
        if (p.thetaUniform().isPresent()) {
            Arrays.fill(theta, p.thetaUniform().getAsDouble());
        } else if (!p.thetaFile().isEmpty()) {
            theta = numbers(directory.resolve(p.thetaFile()), name);
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

    /**
     * Takes instances of {@code out} in the given order as new sparse points — copying their descriptor rows into
     * {@code x} (row-major) and their cutoff weights into {@code c} — skipping any whose normalised kernel
     * k(a, b)/√(k(a, a) k(b, b)) with a point of the sparse set ({@code known}, row-major) or with one already taken
     * exceeds {@link #SAME_ENVIRONMENT}, until {@code c.length} are taken. A repeated environment (a small or
     * symmetric cell has many) adds nothing and would make K_MM singular but for the jitter. Instances with a zero
     * cutoff weight are skipped.
     *
     * @param kernel the term's kernel
     * @param out the instances (values, cutoff weights)
     * @param order the instances to consider, in order of preference
     * @param known the sparse points already in the term, row-major
     * @param x receives the points taken, row-major (room for {@code c.length})
     * @param c receives their cutoff weights
     * @return how many were taken
     */
    public static int distinct(Kernel kernel, DescriptorOutput out, int[] order, double[] known, double[] x,
            double[] c) {
        int d = out.dimension();
        double[] v = out.values();
        int taken = 0;
        for (int k = 0; k < order.length && taken < c.length; k++) {
            int i = order[k];
            if (!(out.cutoffWeight(i) > 0)) {
                continue;
            }
            double kii = kernel.value(v, i * d, v, i * d, d);
            boolean same = false;
            for (int j = 0; j < known.length / d && !same; j++) {
                same = similarity(kernel, v, i * d, kii, known, j * d, d) > SAME_ENVIRONMENT;
            }
            for (int j = 0; j < taken && !same; j++) {
                same = similarity(kernel, v, i * d, kii, x, j * d, d) > SAME_ENVIRONMENT;
            }
            if (!same) {
                System.arraycopy(v, i * d, x, taken * d, d);
                c[taken++] = out.cutoffWeight(i);
            }
        }
        return taken;
    }

    /** @return k(a, b)/√(k(a, a) k(b, b)), given k(a, a) */
    private static double similarity(Kernel kernel, double[] a, int ao, double kaa, double[] b, int bo, int d) {
        return kernel.value(a, ao, b, bo, d) / Math.sqrt(kaa * kernel.value(b, bo, b, bo, d));
    }
}
