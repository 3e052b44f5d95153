package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.ForceSigmaProxy;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.PosteriorVariance;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.gap.VarianceProjection;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.FoldFactors;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.PredictiveCalibration;
import org.soapstone.gp.PredictiveCalibration.Figures;
import org.soapstone.gp.PredictiveCalibration.Scale;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.StreamedQrFit;
import org.soapstone.gp.TriangularFactor;
import org.soapstone.gp.SparseGpPosterior;

/**
 * A GAP fit with its error bars calibrated by K-fold cross-validation on the training frames, in one pass over the
 * data: the frames are dealt to K folds (at random within each config type), each fold's rows are reduced to its
 * own streamed-QR factor ({@link FoldFactors}), the model is the prior merged with all K, and the fit without fold f
 * is the prior merged with the other K − 1 (O(K²·M³), no second pass). Held-out rows — every energy and virial
 * and a random sample of force components, within a memory budget — are kept as kernel rows u during the pass;
 * each is predicted by the fit without its fold, giving the residual e = u·α₋f − y, its weight-space variance
 * uᵀΣ₋f u and the noise σ_n² it was fitted with. {@link PredictiveCalibration#fit} then chooses, per quantity (and
 * per config type with enough frames, {@link SigmaCalibration.Method#GROUP}), the scales of
 * σ² = s_w²·uᵀΣu + s_n²·σ_n² that maximise the likelihood of the residuals; the figures of the calibrated σ on the
 * same residuals are stored with them. Force components that are zero by symmetry in both reference and prediction
 * ({@link SigmaCalibration#zeroBySymmetry}) are left out.
 *
 * <p>With {@link CalibrationSettings#heldOutPointsOut()}, each fold's fit also leaves out the sparse points that are
 * environments of its held-out frames ({@link HeldOutSparsePoints}): the fold's data factor restricted to the other
 * columns and re-triangularised ({@link QrAccumulator#columns}), its prior the Cholesky factor of their K_SS.
 *
 * <p>The held-out predictions come from fits on (K−1)/K of the data, whose weight-space variance is slightly larger
 * than the full model's; the scales are applied to the full model as they are (the usual K-fold approximation).
 *
 * <p>Reference: Musil et al., J. Chem. Theory Comput. 15, 906 (2019) (calibrating GP error bars by resampling);
 * Rasmussen &amp; Williams (2006), sec. 5.4.2; Deringer et al., Chem. Rev. 121, 10073 (2021), sec. 3.
 */
public final class CrossValidatedFit {
    private CrossValidatedFit() {
    }

    /**
     * The outcome.
     *
     * @param model the model fitted on all frames, with its calibration
     * @param folds each fold's data factor, for a later search over δ and σ that re-weights them
     * @param foldOf each frame's fold, by frame index
     * @param notes what the user should know (rows kept, groups too small for their own scale)
     */
    public record Result(GapModel model, FoldFactors folds, int[] foldOf, List<String> notes) {
    }

    /**
     * One held-out residual: for a force component also its atom and the force-σ proxy's raw variance there at
     * each of the {@link ForceSigmaProxy#candidateRanks} ({@link ForceSigmaProxy}; null until computed, and for
     * energies and virials).
     */
    private record Residual(ObservationKind kind, String group, int frame, int atom, double error, double weight,
            double noise, double[] proxy) {
        Residual withProxy(double[] v) {
            return new Residual(kind, group, frame, atom, error, weight, noise, v);
        }
    }

    /**
     * Fits and calibrates.
     *
     * @param label the model's label
     * @param e0 energy per isolated atom by Z (eV), length 119
     * @param terms the terms with their sparse points
     * @param frames the training frames
     * @param jitter {@code sparse_jitter} (eV²)
     * @param threads worker threads
     * @param listener progress
     * @param settings the calibration's settings (method not {@link SigmaCalibration.Method#NONE})
     * @return the calibrated model
     */
    public static Result fit(String label, double[] e0, List<GapTerm> terms, List<TrainingFrame> frames,
            double jitter, int threads, FitListener listener, CalibrationSettings settings) {
        if (settings.method() == SigmaCalibration.Method.NONE) {
            throw new IllegalArgumentException("a cross-validated fit needs a calibration method");
        }
        int k = settings.folds();
        if (frames.size() < k) {
            throw new FitSettingsException("--calibration needs at least as many frames as folds (" + k + "), the "
                    + "training file has " + frames.size() + "; use --calibration none or fewer folds");
        }
        List<String> notes = new ArrayList<>();
        GapKernelRows rows = new GapKernelRows(terms);
        int m = rows.columns();
        TriangularFactor u = TriangularFactor.cholesky(rows.sparseCovariance(), m, jitter);
        FitDesign design = new FitDesign(rows, e0);
        int[] foldOf = deal(frames, k, settings.seed());
        String[] typeOf = new String[foldOf.length];
        frames.forEach(t -> typeOf[t.index()] = t.configType());
        FitDesign.RowFilter filter = filter(frames, settings, m, notes);
        listener.stage("covariance and QR", frames.size());
        QrAccumulator[] factors = new QrAccumulator[k];
        List<List<FitDesign.KeptRow>> kept = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            List<TrainingFrame> fold = new ArrayList<>();
            for (TrainingFrame t : frames) {
                if (foldOf[t.index()] == f) {
                    fold.add(t);
                }
            }
            List<FitDesign.KeptRow> held = Collections.synchronizedList(new ArrayList<>());
            factors[f] = StreamedQrFit.accumulate(SparseGpSolve.blocks(fold), block -> {
                var b = design.assemble(block, filter, held::add);
                listener.advance(block.size());
                return b;
            }, m, threads);
            List<FitDesign.KeptRow> sorted = new ArrayList<>(held);
            sorted.sort(Comparator.comparingInt(FitDesign.KeptRow::frame)
                    .thenComparing(FitDesign.KeptRow::kind).thenComparingInt(FitDesign.KeptRow::component));
            kept.add(sorted);
        }
        FoldFactors folds = FoldFactors.of(factors);
        listener.stage("cross-validation", frames.size());
        List<Residual> residuals = new ArrayList<>();
        Map<Integer, TrainingFrame> byIndex = new java.util.HashMap<>();
        frames.forEach(t -> byIndex.put(t.index(), t));
        for (int f = 0; f < k; f++) {
            int fold = f;
            int[] columns = settings.heldOutPointsOut() ? HeldOutSparsePoints.kept(terms, frames.stream()
                    .filter(t -> foldOf[t.index()] == fold).toList()) : null;
            GapKernelRows foldRows = rows;
            SparseGpPosterior heldOut;
            if (columns == null || columns.length == m) {
                columns = null;
                heldOut = folds.posterior(u, f);
            } else {
                foldRows = new GapKernelRows(HeldOutSparsePoints.select(terms, columns));
                TriangularFactor uf = TriangularFactor.cholesky(foldRows.sparseCovariance(), columns.length, jitter);
                QrAccumulator acc = QrAccumulator.prior(uf);
                acc.merge(folds.leaveOut(f).columns(columns));
                heldOut = new SparseGpPosterior(uf, acc);
            }
            residuals.addAll(withProxies(residuals(heldOut, kept.get(f), columns, typeOf, m), new PosteriorVariance(
                    foldRows, heldOut), ForceSigmaProxy.candidateRanks(m), byIndex, threads));
            kept.set(f, null);
            listener.advance(frames.stream().filter(t -> foldOf[t.index()] == fold).count());
        }
        Map<String, Integer> framesOfType = new TreeMap<>();
        frames.forEach(t -> framesOfType.merge(t.configType(), 1, Integer::sum));
        SigmaCalibration calibration = calibrate(residuals, framesOfType, settings, m, notes);
        GapModel model = SparseGpSolve.model(label, e0, terms, u, withPrior(u, folds)).withCalibration(calibration);
        return new Result(model, folds, foldOf, notes);
    }

    private static QrAccumulator withPrior(TriangularFactor u, FoldFactors folds) {
        QrAccumulator acc = QrAccumulator.prior(u);
        acc.merge(folds.all());
        return acc;
    }

    /**
     * Deals frames to folds: within each config type (in order of first appearance) the frames are shuffled with
     * the seed and dealt round-robin, continuing where the previous type stopped, so every fold gets its share of
     * every type.
     *
     * @return the fold of each frame, by frame index
     */
    static int[] deal(List<TrainingFrame> frames, int k, long seed) {
        Map<String, List<Integer>> byType = new LinkedHashMap<>();
        int max = 0;
        for (TrainingFrame f : frames) {
            byType.computeIfAbsent(f.configType(), t -> new ArrayList<>()).add(f.index());
            max = Math.max(max, f.index());
        }
        int[] fold = new int[max + 1];
        SplittableRandom random = new SplittableRandom(seed);
        int next = 0;
        for (List<Integer> type : byType.values()) {
            for (int i = type.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Integer t = type.get(i);
                type.set(i, type.get(j));
                type.set(j, t);
            }
            for (int index : type) {
                fold[index] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    /** Keeps every energy and virial row, and each force component with the probability the budget allows. */
    static FitDesign.RowFilter filter(List<TrainingFrame> frames, CalibrationSettings settings, int m,
            List<String> notes) {
        long other = 0;
        long forces = 0;
        for (TrainingFrame f : frames) {
            int r = FitDesign.rowCount(f);
            int fc = f.forces() == null ? 0 : f.fittedForceComponents();
            forces += fc;
            other += r - fc;
        }
        long budgetRows = settings.rowBudget() / (8L * m);
        double pOther = other == 0 ? 1 : Math.min(1.0, (double) budgetRows / other);
        double pForce = forces == 0 ? 1 : Math.clamp((double) (budgetRows - other) / forces, 0.0, 1.0);
        if (pForce < 1 || pOther < 1) {
            notes.add(String.format(Locale.ROOT, "calibration: residuals of %.0f %% of the force components "
                    + "and %.0f %% of the energies and virials (a budget of %d MiB of kernel rows)", 100 * pForce,
                    100 * pOther, settings.rowBudget() >> 20));
        }
        long seed = settings.seed();
        return (frame, kind, component) -> {
            double p = kind == ObservationKind.FORCE ? pForce : pOther;
            return p >= 1 || uniform(seed, frame, kind.ordinal() * 1_000_003L + component) < p;
        };
    }

    /** A uniform number in [0, 1) from the seed and a row's identity (SplitMix64's finaliser). */
    private static double uniform(long seed, int frame, long row) {
        long z = seed * 0x9E3779B97F4A7C15L + frame * 0xBF58476D1CE4E5B9L + row * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    /**
     * The held-out rows' residuals under a fold's posterior over the sparse points of {@code columns} (null: all
     * {@code m}).
     */
    private static List<Residual> residuals(SparseGpPosterior posterior, List<FitDesign.KeptRow> kept,
            int[] columns, String[] typeOf, int m) {
        int n = kept.size();
        int c = columns == null ? m : columns.length;
        double[] k = new double[n * c];
        for (int r = 0; r < n; r++) {
            double[] row = kept.get(r).k();
            if (columns == null) {
                System.arraycopy(row, 0, k, r * m, m);
            } else {
                for (int j = 0; j < c; j++) {
                    k[r * c + j] = row[columns[j]];
                }
            }
        }
        double[] w = posterior.weightVariances(k, n);
        double[] alpha = posterior.alpha();
        List<Residual> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            FitDesign.KeptRow row = kept.get(r);
            double pred = 0;
            for (int j = 0; j < c; j++) {
                pred = Math.fma(k[r * c + j], alpha[j], pred);
            }
            if (row.kind() == ObservationKind.FORCE && SigmaCalibration.zeroBySymmetry(row.target(), pred)) {
                continue;
            }
            int atom = row.kind() == ObservationKind.FORCE ? row.component() / 3 : -1;
            out.add(new Residual(row.kind(), typeOf[row.frame()], row.frame(), atom, pred - row.target(), w[r],
                    row.sigma() * row.sigma(), null));
        }
        return out;
    }

    /**
     * The force residuals with the proxy's raw variances of their atom under the held-out posterior: the latent
     * local-energy variances of every atom of each frame (one pass of descriptor values, no gradients) bounded
     * through the posterior's projection at each of the model's {@link ForceSigmaProxy#candidateRanks} as the
     * evaluator bounds them (a rank beyond a fold's sparse points, which held-out points may have made fewer, is its
     * exact variance), summed over neighbourhoods ({@link ForceSigmaProxy}); frames in parallel.
     */
    private static List<Residual> withProxies(List<Residual> residuals, PosteriorVariance variance, int[] modelRanks,
            Map<Integer, TrainingFrame> frames, int threads) {
        int[] needed = residuals.stream().filter(r -> r.kind() == ObservationKind.FORCE).mapToInt(Residual::frame)
                .distinct().sorted().toArray();
        if (needed.length == 0) {
            return residuals;
        }
        int foldPoints = variance.posterior().sparseCount();
        int[] clamped = java.util.Arrays.stream(modelRanks).map(r -> Math.min(r, foldPoints)).toArray();
        int[] ranks = java.util.Arrays.stream(clamped).distinct().toArray();
        VarianceProjection projection = VarianceProjection.ofPosteriorInEigenOrder(variance.posterior());
        double[][][] proxy = new double[needed.length][][];
        try (WorkerPool pool = new WorkerPool(threads)) {
            pool.forEachChunk(needed.length, (worker, from, to) -> {
                for (int i = from; i < to; i++) {
                    Structure s = frames.get(needed[i]).structure();
                    double[][] local = variance.local(s, projection, ranks);
                    NeighbourList list = NeighbourList.build(s, variance.cutoff(), true);
                    proxy[i] = new double[s.size()][clamped.length];
                    double[] sums = new double[s.size()];
                    for (int j = 0; j < clamped.length; j++) {
                        ForceSigmaProxy.neighbourhoodVariance(list, variance.cutoff(),
                                local[java.util.Arrays.binarySearch(ranks, clamped[j])], sums);
                        for (int a = 0; a < sums.length; a++) {
                            proxy[i][a][j] = sums[a];
                        }
                    }
                }
            });
        }
        List<Residual> out = new ArrayList<>(residuals.size());
        for (Residual r : residuals) {
            if (r.kind() == ObservationKind.FORCE) {
                int i = java.util.Arrays.binarySearch(needed, r.frame());
                out.add(r.withProxy(proxy[i][r.atom()]));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    private static SigmaCalibration calibrate(List<Residual> residuals, Map<String, Integer> framesOfType,
            CalibrationSettings settings, int m, List<String> notes) {
        Map<ObservationKind, Map<String, Scale>> scales = new EnumMap<>(ObservationKind.class);
        Map<ObservationKind, Map<String, Figures>> figures = new EnumMap<>(ObservationKind.class);
        for (ObservationKind kind : ObservationKind.values()) {
            List<Residual> of = residuals.stream().filter(r -> r.kind() == kind).toList();
            if (of.isEmpty()) {
                continue;
            }
            Scale all = PredictiveCalibration.fit(errors(of), of.stream().mapToDouble(Residual::weight).toArray(),
                    of.stream().mapToDouble(Residual::noise).toArray());
            Map<String, Scale> byGroup = new LinkedHashMap<>();
            byGroup.put(SigmaCalibration.ALL, all);
            Map<String, List<Residual>> groups = new TreeMap<>();
            for (Residual r : of) {
                groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
            }
            if (settings.method() == SigmaCalibration.Method.GROUP && groups.size() > 1) {
                groups.forEach((group, rs) -> {
                    int frameCount = framesOfType.get(group);
                    if (frameCount >= settings.minGroupFrames()) {
                        double z2 = 0;
                        for (Residual r : rs) {
                            z2 += r.error() * r.error() / all.variance(r.weight(), r.noise());
                        }
                        byGroup.put(group, all.times(Math.sqrt(z2 / rs.size())));
                    } else {
                        notes.add("calibration: config_type " + group + " has " + frameCount + " training frames "
                                + "(fewer than " + settings.minGroupFrames() + "): it takes the overall "
                                + label(kind) + " scale");
                    }
                });
            }
            scales.put(kind, byGroup);
            Map<String, Figures> f = new LinkedHashMap<>();
            f.put(SigmaCalibration.ALL, figures(of, byGroup));
            groups.forEach((group, rs) -> f.put(group, figures(rs, byGroup)));
            figures.put(kind, f);
        }
        return new SigmaCalibration(settings.method(), settings.folds(), settings.noisePerAtom(), settings.noise(),
                scales, figures, forceProxy(residuals, settings.noise().get(SigmaCalibration.DEFAULT_GROUP).force(),
                ForceSigmaProxy.candidateRanks(m), notes));
    }

    /**
     * The proxy's rank and scales: for each candidate rank the scales by maximum likelihood on every force residual;
     * kept, the smallest rank whose mean held-out negative log-likelihood is within {@link
     * ForceSigmaProxy#NLL_TOLERANCE} of the exact variances' (the last rank), with its figures per group; null if
     * there are no force residuals. The noise term is the default force σ_n for every residual, as MD applies it
     * (it knows no config types).
     */
    private static SigmaCalibration.ForceProxy forceProxy(List<Residual> residuals, double noise, int[] ranks,
            List<String> notes) {
        List<Residual> forces = residuals.stream().filter(r -> r.kind() == ObservationKind.FORCE).toList();
        if (forces.isEmpty()) {
            return null;
        }
        double[] noiseVariance = new double[forces.size()];
        java.util.Arrays.fill(noiseVariance, noise * noise);
        double[] errors = errors(forces);
        Scale[] scale = new Scale[ranks.length];
        double[] nll = new double[ranks.length];
        for (int j = 0; j < ranks.length; j++) {
            int rank = j;
            scale[j] = PredictiveCalibration.fit(errors, forces.stream().mapToDouble(r -> r.proxy()[rank])
                    .toArray(), noiseVariance);
            nll[j] = proxyFigures(forces, scale[j], noise, j).negativeLogLikelihood();
        }
        int kept = ForceSigmaProxy.chooseRank(nll);
        notes.add(String.format(Locale.ROOT, "force proxy: local variances bounded at rank %d of %d (held-out NLL "
                + "%.3f against %.3f exact)", ranks[kept], ranks[ranks.length - 1], nll[kept],
                nll[ranks.length - 1]));
        Map<String, List<Residual>> groups = new TreeMap<>();
        forces.forEach(r -> groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        Map<String, Figures> figures = new LinkedHashMap<>();
        figures.put(SigmaCalibration.ALL, proxyFigures(forces, scale[kept], noise, kept));
        int chosen = kept;
        groups.forEach((group, rs) -> figures.put(group, proxyFigures(rs, scale[chosen], noise, chosen)));
        return new SigmaCalibration.ForceProxy(scale[kept], ranks[kept], figures);
    }

    private static Figures proxyFigures(List<Residual> rs, Scale scale, double noise, int rank) {
        double[] sigma = rs.stream().mapToDouble(r -> Math.sqrt(scale.variance(r.proxy()[rank], noise * noise)))
                .toArray();
        return PredictiveCalibration.figures(errors(rs), sigma);
    }

    private static Figures figures(List<Residual> rs, Map<String, Scale> byGroup) {
        double[] sigma = new double[rs.size()];
        for (int i = 0; i < sigma.length; i++) {
            Residual r = rs.get(i);
            Scale s = byGroup.getOrDefault(r.group(), byGroup.get(SigmaCalibration.ALL));
            sigma[i] = Math.sqrt(s.variance(r.weight(), r.noise()));
        }
        return PredictiveCalibration.figures(errors(rs), sigma);
    }

    private static double[] errors(List<Residual> rs) {
        return rs.stream().mapToDouble(Residual::error).toArray();
    }

    private static String label(ObservationKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
