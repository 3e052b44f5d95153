package org.soapstone.engine.fit;

import java.util.List;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;
import java.util.Arrays;
import org.soapstone.gp.DesignBlock;
import org.soapstone.gp.ObservationKind;

/**
 * The whitened design rows [Λ^{-1/2} K_NM | Λ^{-1/2} y] of a block of training frames, as gap_fit's
 * {@code fit_data_from_xyz} defines the observations: per frame the total energy minus Σ e0(Z_i) (eV), every
 * force component with a finite σ (eV/Å), and the six components W_xx, W_yy, W_zz, W_yz, W_xz, W_xy of the
 * symmetrised virial (eV) — each row divided by its σ. A pure function of the frames (descriptors, neighbour lists
 * and kernel rows are computed inside), so blocks can be assembled on any thread or machine and reduced with
 * {@link org.soapstone.gp.QrAccumulator}.
 */
public final class FitDesign {
    /** Virial components fitted, as (row, column) of W: gap_fit's l ≥ k half with the diagonal. */
    private static final int[][] VIRIAL_COMPONENTS = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};

    private final GapKernelRows rows;
    private final double[] e0;
    private final double cutoff;
    /** Per-thread buffers, reused from block to block (they do not change the result). */
    private final ThreadLocal<Workspace> workspace;

    /** One thread's descriptors, outputs and row buffers; they grow to the largest frame and block seen. */
    private static final class Workspace {
        final Descriptor[] descriptors;
        final DescriptorOutput[] outs;
        final GapKernelRows.Scratch scratch = new GapKernelRows.Scratch();
        double[] local = new double[0];
        double[] force = new double[0];
        final double[] virial;
        double[] k = new double[0];
        double[] target = new double[0];
        double[] sigma = new double[0];
        ObservationKind[] kind = new ObservationKind[0];

        Workspace(GapKernelRows rows) {
            descriptors = rows.descriptors();
            outs = new DescriptorOutput[descriptors.length];
            for (int t = 0; t < outs.length; t++) {
                outs[t] = descriptors[t].newOutput();
            }
            virial = new double[9 * rows.columns()];
        }

        static double[] zeroed(double[] a, int size) {
            if (a.length < size) {
                return new double[size];
            }
            java.util.Arrays.fill(a, 0, size, 0.0);
            return a;
        }
    }

    /**
     * @param rows the kernel rows of the model being fitted
     * @param e0 energy per isolated atom by Z (eV), length 119
     */
    public FitDesign(GapKernelRows rows, double[] e0) {
        this.rows = rows;
        this.e0 = e0.clone();
        double c = 0;
        for (Descriptor d : rows.descriptors()) {
            c = Math.max(c, d.cutoff());
        }
        this.cutoff = c;
        this.workspace = ThreadLocal.withInitial(() -> new Workspace(rows));
    }

    /** @return the number of rows the frame contributes */
    public static int rowCount(TrainingFrame f) {
        int r = Double.isNaN(f.energy()) ? 0 : 1;
        if (f.forces() != null) {
            for (double s : f.forceSigma()) {
                if (Double.isFinite(s)) {
                    r++;
                }
            }
        }
        return r + (f.virial() != null ? VIRIAL_COMPONENTS.length : 0);
    }

    /**
     * Assembles the design rows of a block of frames.
     *
     * @param frames the frames, in order
     * @return the block, {@code Σ rowCount × (M + 1)}
     * @throws IllegalArgumentException if a frame has a species no descriptor covers (naming the frame)
     */
    public DesignBlock assemble(List<TrainingFrame> frames) {
        Workspace w = workspace.get();
        int total = rows(frames, w);
        return DesignBlock.assemble(w.k, rows.columns(), Arrays.copyOf(w.target, total), Arrays.copyOf(w.sigma, total));
    }

    /**
     * A training row set aside for cross-validation: its kernel row against the sparse points (unwhitened, eV²,
     * eV²/Å for forces), the value fitted and the σ it was fitted with.
     *
     * @param frame the frame's index in the training file
     * @param kind what the row measures
     * @param component 0 for an energy, the force component 3·atom + axis, or the virial component 0–5 (xx, yy, zz,
     *     yz, xz, xy)
     * @param k the kernel row, length M
     * @param target the value fitted (eV, e0 subtracted; eV/Å; eV)
     * @param sigma its σ (same unit)
     */
    public record KeptRow(int frame, ObservationKind kind, int component, double[] k, double target, double sigma) {
    }

    /** Chooses the rows to set aside. */
    @FunctionalInterface
    public interface RowFilter {
        /** @return whether row {@code component} of {@code kind} of frame {@code frame} is kept */
        boolean keep(int frame, ObservationKind kind, int component);
    }

    /**
     * As {@link #assemble(List)}, also handing a copy of every row {@code filter} keeps to {@code sink} (on the
     * calling thread, in row order).
     */
    public DesignBlock assemble(List<TrainingFrame> frames, RowFilter filter, java.util.function.Consumer<KeptRow> sink) {
        Workspace w = workspace.get();
        int total = rows(frames, w);
        keepRows(frames, w, filter, sink);
        return DesignBlock.assemble(w.k, rows.columns(), Arrays.copyOf(w.target, total), Arrays.copyOf(w.sigma, total));
    }

    /** Hands a copy of every row of the frames (in the workspace) that {@code filter} keeps to {@code sink}. */
    private void keepRows(List<TrainingFrame> frames, Workspace w, RowFilter filter,
            java.util.function.Consumer<KeptRow> sink) {
        int m = rows.columns();
        int r = 0;
        for (TrainingFrame f : frames) {
            if (!Double.isNaN(f.energy())) {
                keep(f, ObservationKind.ENERGY, 0, r++, w, m, filter, sink);
            }
            if (f.forces() != null) {
                double[] fs = f.forceSigma();
                for (int c = 0; c < fs.length; c++) {
                    if (Double.isFinite(fs[c])) {
                        keep(f, ObservationKind.FORCE, c, r++, w, m, filter, sink);
                    }
                }
            }
            if (f.virial() != null) {
                for (int c = 0; c < VIRIAL_COMPONENTS.length; c++) {
                    keep(f, ObservationKind.VIRIAL, c, r++, w, m, filter, sink);
                }
            }
        }
    }

    private static void keep(TrainingFrame f, ObservationKind kind, int component, int r, Workspace w, int m,
            RowFilter filter, java.util.function.Consumer<KeptRow> sink) {
        if (filter.keep(f.index(), kind, component)) {
            sink.accept(new KeptRow(f.index(), kind, component, Arrays.copyOfRange(w.k, r * m, (r + 1) * m),
                    w.target[r], w.sigma[r]));
        }
    }

    /**
     * The design rows of a block of frames split by kind — energies, forces, virials, in that order ({@link
     * ObservationKind} order) — for a hyperparameter search that scales the σ of each kind.
     *
     * @param frames the frames, in order
     * @return three blocks (each possibly with no rows)
     */
    public DesignBlock[] assembleByKind(List<TrainingFrame> frames) {
        Workspace w = workspace.get();
        return byKind(w, rows(frames, w));
    }

    /**
     * As {@link #assembleByKind(List)}, also handing a copy of every row {@code filter} keeps to {@code sink} (on the
     * calling thread, in row order).
     */
    public DesignBlock[] assembleByKind(List<TrainingFrame> frames, RowFilter filter,
            java.util.function.Consumer<KeptRow> sink) {
        Workspace w = workspace.get();
        int total = rows(frames, w);
        keepRows(frames, w, filter, sink);
        return byKind(w, total);
    }

    /** The workspace's {@code total} rows split by kind. */
    private DesignBlock[] byKind(Workspace w, int total) {
        int m = rows.columns();
        DesignBlock[] out = new DesignBlock[ObservationKind.values().length];
        for (ObservationKind kind : ObservationKind.values()) {
            int count = 0;
            for (int r = 0; r < total; r++) {
                if (w.kind[r] == kind) {
                    count++;
                }
            }
            double[] k = new double[count * m];
            double[] target = new double[count];
            double[] sigma = new double[count];
            int i = 0;
            for (int r = 0; r < total; r++) {
                if (w.kind[r] == kind) {
                    System.arraycopy(w.k, r * m, k, i * m, m);
                    target[i] = w.target[r];
                    sigma[i++] = w.sigma[r];
                }
            }
            out[kind.ordinal()] = DesignBlock.assemble(k, m, target, sigma);
        }
        return out;
    }

    /** Fills the workspace's kernel rows, targets, σ and kinds for the frames; returns the number of rows. */
    private int rows(List<TrainingFrame> frames, Workspace w) {
        int m = rows.columns();
        int total = 0;
        for (TrainingFrame f : frames) {
            total += rowCount(f);
        }
        w.k = Workspace.zeroed(w.k, total * m);
        if (w.target.length < total) {
            w.target = new double[total];
            w.sigma = new double[total];
            w.kind = new ObservationKind[total];
        }
        int r = 0;
        for (TrainingFrame f : frames) {
            r = frameRows(f, w, w.k, w.target, w.sigma, w.kind, r);
        }
        return total;
    }

    private int frameRows(TrainingFrame f, Workspace w, double[] k, double[] target, double[] sigma,
            ObservationKind[] kind, int r) {
        Structure s = f.structure();
        int n = s.size();
        int m = rows.columns();
        boolean energy = !Double.isNaN(f.energy());
        boolean forces = f.forces() != null;
        boolean virial = f.virial() != null;
        boolean gradients = forces || virial;
        double[] local = w.local = Workspace.zeroed(w.local, n * m);
        double[] force = forces ? (w.force = Workspace.zeroed(w.force, 3 * n * m)) : null;
        double[] vir = virial ? Workspace.zeroed(w.virial, 9 * m) : null;
        NeighbourList nl = NeighbourList.build(s, cutoff, true);
        for (int t = 0; t < w.descriptors.length; t++) {
            try {
                w.descriptors[t].compute(s, nl, gradients, w.outs[t]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("frame " + f.index() + " (line " + f.line() + "): " + e.getMessage(), e);
            }
            rows.add(t, w.outs[t], local, force, vir, w.scratch);
        }
        if (energy) {
            double y = f.energy();
            for (int z : s.numbers()) {
                y -= e0[z];
            }
            for (int a = 0; a < n; a++) {
                for (int j = 0; j < m; j++) {
                    k[r * m + j] += local[a * m + j];
                }
            }
            target[r] = y;
            kind[r] = ObservationKind.ENERGY;
            sigma[r++] = f.energySigma();
        }
        if (forces) {
            double[] fs = f.forceSigma();
            for (int c = 0; c < 3 * n; c++) {
                if (Double.isFinite(fs[c])) {
                    System.arraycopy(force, c * m, k, r * m, m);
                    target[r] = f.forces()[c];
                    kind[r] = ObservationKind.FORCE;
                    sigma[r++] = fs[c];
                }
            }
        }
        if (virial) {
            for (int[] ab : VIRIAL_COMPONENTS) {
                int a = ab[0];
                int b = ab[1];
                for (int j = 0; j < m; j++) {
                    k[r * m + j] = 0.5 * (vir[(3 * a + b) * m + j] + vir[(3 * b + a) * m + j]);
                }
                target[r] = 0.5 * (f.virial()[3 * a + b] + f.virial()[3 * b + a]);
                kind[r] = ObservationKind.VIRIAL;
                sigma[r++] = f.virialSigma()[3 * a + b];
            }
        }
        return r;
    }
}
