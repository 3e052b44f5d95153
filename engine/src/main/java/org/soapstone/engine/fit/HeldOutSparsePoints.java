package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.neighbour.NeighbourList;

/**
 * The sparse points that are environments of held-out frames. A sparse point taken from a training frame (CUR over
 * its atoms in {@code fit}; the most uncertain atoms of each labelled frame in {@code learn}) is a basis function
 * centred on that very environment: a cross-validation that holds the frame out but keeps the point predicts the
 * frame with a basis fitted to it, so its held-out errors and variances are not those of a frame the model has never
 * seen. Leaving such points out of the fold's fit ({@link org.soapstone.gp.QrAccumulator#columns}) makes the held-out frame new to
 * the fold's model in its sparse set as in its data. On-the-fly learning takes its sparse points from exactly the
 * environments it was most unsure of, so there the difference is large: learning SW silicon, 34 frames, it is the
 * difference between a force scale s_w of 6.9 and 8.6 and between 63 % and 73 % of unseen force errors within 1σ.
 *
 * <p>A point belongs to a frame when one of the frame's descriptor vectors of the point's term equals it to 10⁻⁸
 * (relative): the point was copied from that vector, and a frame read back from its file (positions in Java's
 * round-trip form) gives it again.
 */
final class HeldOutSparsePoints {
    /** The largest squared distance, relative to the point's squared norm, of a descriptor equal to a point. */
    private static final double SAME = 1e-16;

    private HeldOutSparsePoints() {
    }

    /**
     * The sparse points, as columns of the terms' kernel rows in order, that no frame of {@code held} holds as an
     * environment. A term all of whose points are the held-out frames' keeps them all (its columns cannot be empty).
     *
     * @param terms the terms with their sparse points
     * @param held the held-out frames
     * @return the kept columns, increasing
     */
    static int[] kept(List<GapTerm> terms, List<TrainingFrame> held) {
        List<Integer> keep = new ArrayList<>();
        int start = 0;
        for (GapTerm term : terms) {
            int m = term.sparseCount();
            boolean[] own = owned(term, held);
            int before = keep.size();
            for (int j = 0; j < m; j++) {
                if (!own[j]) {
                    keep.add(start + j);
                }
            }
            if (keep.size() == before) {
                for (int j = 0; j < m; j++) {
                    keep.add(start + j);
                }
            }
            start += m;
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return for each sparse point of the term, whether it is an environment of one of the frames */
    private static boolean[] owned(GapTerm term, List<TrainingFrame> held) {
        int m = term.sparseCount();
        int d = term.dimension();
        double[] x = term.sparseX();
        double[] norm = new double[m];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < d; c++) {
                norm[j] = Math.fma(x[j * d + c], x[j * d + c], norm[j]);
            }
        }
        boolean[] own = new boolean[m];
        Descriptor descriptor = term.descriptor().create();
        DescriptorOutput out = descriptor.newOutput();
        for (TrainingFrame f : held) {
            descriptor.compute(f.structure(), NeighbourList.build(f.structure(), descriptor.cutoff(), true), false,
                    out);
            double[] v = out.values();
            for (int i = 0; i < out.count(); i++) {
                for (int j = 0; j < m; j++) {
                    if (!own[j] && same(v, i * d, x, j * d, d, norm[j])) {
                        own[j] = true;
                    }
                }
            }
        }
        return own;
    }

    private static boolean same(double[] v, int vo, double[] x, int xo, int d, double norm) {
        double limit = SAME * norm;
        double s = 0;
        for (int c = 0; c < d && s <= limit; c++) {
            double e = v[vo + c] - x[xo + c];
            s = Math.fma(e, e, s);
        }
        return s <= limit;
    }

    /**
     * The terms with only the sparse points of the kept columns (α zero: a fit sets it).
     *
     * @param terms the terms
     * @param keep kept columns, increasing, at least one per term ({@link #kept})
     * @return the terms over those points
     */
    static List<GapTerm> select(List<GapTerm> terms, int[] keep) {
        List<GapTerm> out = new ArrayList<>();
        int start = 0;
        int k = 0;
        for (GapTerm t : terms) {
            int m = t.sparseCount();
            int d = t.dimension();
            int from = k;
            while (k < keep.length && keep[k] < start + m) {
                k++;
            }
            double[] x = new double[(k - from) * d];
            double[] cutoff = new double[k - from];
            for (int i = from; i < k; i++) {
                int j = keep[i] - start;
                System.arraycopy(t.sparseX(), j * d, x, (i - from) * d, d);
                cutoff[i - from] = t.sparseCutoff()[j];
            }
            out.add(new GapTerm(t.label(), t.descriptor(), t.covariance(), t.delta(), t.f0(), t.zeta(), t.theta(), x,
                    new double[k - from], cutoff));
            start += m;
        }
        if (k != keep.length) {
            throw new IllegalArgumentException("columns beyond the terms' " + start + " sparse points: "
                    + Arrays.toString(keep));
        }
        return out;
    }
}
