package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.gp.BlockReduction;
import org.soapstone.gp.DesignBlock;
import org.soapstone.gp.FoldGrams;
import org.soapstone.gp.GramAccumulator;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.TriangularFactor;

/**
 * One pass over the training frames that makes every later fit at new noise σ and δ cheap: the frames are dealt to K
 * folds (disjoint by frame, at random within each config type, fixed by the seed: {@link CrossValidatedFit#deal}),
 * every row goes to its group — its observation kind (energy, force, virial) × its config type (a type with fewer
 * than {@link CalibrationSettings#minGroupFrames()} frames shares the group {@value #SHARED}) — and each group-fold is
 * kept as the Gram of its whitened rows ({@link FoldGrams}). Held-out rows (every energy and virial, and a seeded
 * sample of force components within the row budget) are kept as whitened kernel rows, so that the K-fold
 * cross-validation errors at any σ and δ cost K Choleskys of M × M ({@link NoiseSearch}).
 *
 * <p>The sparse points are those of the fit on all frames (the usual approximation: a held-out frame may have lent a
 * sparse point), so the model finally written is the one whose errors were cross-validated.
 */
public final class CrossValidationGrams {
    /** The group of the config types with too few frames of their own (and of frames without a type). */
    public static final String SHARED = "default";

    private CrossValidationGrams() {
    }

    /**
     * A group of rows whose σ share one factor.
     *
     * @param kind what its rows measure
     * @param configType its config type, or {@value #SHARED}
     */
    public record Group(ObservationKind kind, String configType) {
    }

    /**
     * How the rows of a training set fall into groups.
     *
     * @param groups the groups that have rows: kinds in {@link ObservationKind} order, then type groups by first
     *     appearance
     * @param typeGroup the group name ({@link Group#configType()}) of each config type of the frames
     */
    public record Layout(List<Group> groups, Map<String, String> typeGroup) {
        public Layout {
            groups = List.copyOf(groups);
            typeGroup = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(typeGroup));
        }

        /**
         * @param frames the training frames
         * @param minGroupFrames the fewest frames of a config type with groups of its own
         * @return the layout
         */
        public static Layout of(List<TrainingFrame> frames, int minGroupFrames) {
            Map<String, Integer> count = new LinkedHashMap<>();
            frames.forEach(f -> count.merge(f.configType(), 1, Integer::sum));
            Map<String, String> typeGroup = new LinkedHashMap<>();
            count.forEach((type, n) -> typeGroup.put(type, n >= minGroupFrames ? type : SHARED));
            List<Group> out = new ArrayList<>();
            for (ObservationKind kind : ObservationKind.values()) {
                for (TrainingFrame f : frames) {
                    boolean has = switch (kind) {
                        case ENERGY -> f.hasEnergy();
                        case FORCE -> f.forces() != null && f.fittedForceComponents() > 0;
                        case VIRIAL -> f.virial() != null;
                    };
                    Group g = new Group(kind, typeGroup.get(f.configType()));
                    if (has && !out.contains(g)) {
                        out.add(g);
                    }
                }
            }
            return new Layout(out, typeGroup);
        }
    }

    /**
     * A fold's held-out rows, each predicted by the fit on the other folds.
     *
     * @param k whitened kernel rows k U₀⁻¹, row-major {@code count × M}
     * @param target the value fitted (eV with e0 subtracted, eV/Å, eV)
     * @param kind what each row measures
     * @param atoms the atoms of each row's frame (energies are compared per atom)
     */
    public record HeldOut(double[] k, double[] target, ObservationKind[] kind, int[] atoms) {
        /** @return the number of rows */
        public int count() {
            return target.length;
        }
    }

    /**
     * The outcome of the pass.
     *
     * @param grams the whitened Grams, by group ({@code layout}'s order) and fold
     * @param layout the groups
     * @param heldOut each fold's held-out rows
     * @param descriptorOfTerm the descriptor string (of the {@code gap} setting) each term comes from
     * @param notes what the user should know (the share of force components held out)
     */
    public record Data(FoldGrams grams, Layout layout, List<HeldOut> heldOut, int[] descriptorOfTerm,
            List<String> notes) {
    }

    /**
     * Runs the pass.
     *
     * @param terms the terms with their sparse points, at their δ⁰
     * @param descriptorOfTerm the descriptor string each term comes from (non-decreasing, from 0)
     * @param e0 energy per isolated atom by Z (eV), length 119
     * @param frames the training frames, σ as the start settings give them
     * @param jitter {@code sparse_jitter} (eV²)
     * @param settings folds, seed, row budget and the fewest frames of a config type with its own group
     * @param threads worker threads
     * @param listener progress, in frames
     * @return the Grams and the held-out rows
     */
    public static Data run(List<GapTerm> terms, int[] descriptorOfTerm, double[] e0, List<TrainingFrame> frames,
            double jitter, CalibrationSettings settings, int threads, FitListener listener) {
        int k = settings.folds();
        if (frames.size() < k) {
            throw new FitSettingsException("cross-validation needs at least as many frames as folds (" + k
                    + "), the training file has " + frames.size());
        }
        GapKernelRows rows = new GapKernelRows(terms);
        int m = rows.columns();
        if (descriptorOfTerm.length != terms.size() || descriptorOfTerm[0] != 0) {
            throw new IllegalArgumentException("each of the " + terms.size() + " terms needs its descriptor");
        }
        int[] termStart = new int[terms.size() + 1];
        for (int t = 0; t < terms.size(); t++) {
            termStart[t] = rows.column(t);
        }
        termStart[terms.size()] = m;
        Layout layout = Layout.of(frames, settings.minGroupFrames());
        Map<String, String> typeGroup = layout.typeGroup();
        Map<Group, Integer> index = new LinkedHashMap<>();
        layout.groups().forEach(g -> index.put(g, index.size()));

        TriangularFactor u0 = TriangularFactor.cholesky(rows.sparseCovariance(), m, jitter);
        FoldGrams grams = new FoldGrams(u0, jitter, termStart, layout.groups().size(), k);
        FitDesign design = new FitDesign(rows, e0);
        int[] foldOf = CrossValidatedFit.deal(frames, k, settings.seed());
        List<String> notes = new ArrayList<>();
        FitDesign.RowFilter filter = CrossValidatedFit.filter(frames, settings, m, notes);
        int[] atomsOf = new int[foldOf.length];
        frames.forEach(f -> atomsOf[f.index()] = f.structure().size());
        listener.stage("cross-validation pass", frames.size());
        List<HeldOut> heldOut = new ArrayList<>();
        ObservationKind[] kinds = ObservationKind.values();
        for (int f = 0; f < k; f++) {
            // the fold's frames, type group by type group, each in file order
            Map<String, List<TrainingFrame>> byGroup = new LinkedHashMap<>();
            for (TrainingFrame t : frames) {
                if (foldOf[t.index()] == f) {
                    byGroup.computeIfAbsent(typeGroup.get(t.configType()), g -> new ArrayList<>()).add(t);
                }
            }
            List<FitDesign.KeptRow> held = Collections.synchronizedList(new ArrayList<>());
            for (Map.Entry<String, List<TrainingFrame>> segment : byGroup.entrySet()) {
                List<GramAccumulator> acc = BlockReduction.reduce(SparseGpSolve.blocks(segment.getValue()), block -> {
                    DesignBlock[] parts = design.assembleByKind(block, filter, held::add);
                    for (DesignBlock p : parts) {
                        grams.whiten(p);
                    }
                    listener.advance(block.size());
                    return parts;
                }, kinds.length, p -> new GramAccumulator(m), GramAccumulator::add, GramAccumulator::merge, threads);
                for (ObservationKind kind : kinds) {
                    Integer g = index.get(new Group(kind, segment.getKey()));
                    if (g != null) {
                        grams.put(g, f, acc.get(kind.ordinal()));
                    }
                }
            }
            heldOut.add(heldOut(held, atomsOf, grams, m));
        }
        return new Data(grams, layout, heldOut, descriptorOfTerm.clone(), notes);
    }

    private static HeldOut heldOut(List<FitDesign.KeptRow> held, int[] atomsOf, FoldGrams grams, int m) {
        List<FitDesign.KeptRow> sorted = new ArrayList<>(held);
        sorted.sort(Comparator.comparingInt(FitDesign.KeptRow::frame).thenComparing(FitDesign.KeptRow::kind)
                .thenComparingInt(FitDesign.KeptRow::component));
        int n = sorted.size();
        double[] k = new double[n * m];
        double[] target = new double[n];
        ObservationKind[] kind = new ObservationKind[n];
        int[] atoms = new int[n];
        for (int r = 0; r < n; r++) {
            FitDesign.KeptRow row = sorted.get(r);
            System.arraycopy(row.k(), 0, k, r * m, m);
            target[r] = row.target();
            kind[r] = row.kind();
            atoms[r] = atomsOf[row.frame()];
        }
        grams.whitenRows(k, n);
        return new HeldOut(k, target, kind, atoms);
    }
}
