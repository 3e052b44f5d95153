package org.soapstone.engine.evaluator;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import org.soapstone.engine.gap.VarianceProjection;

/**
 * One share's kernel rows waiting for their variance, collected over its sub-blocks so that one product with a
 * {@link VarianceProjection} serves up to {@link #CAPACITY} rows: the projection (4 MB at M = 1000 in triangular
 * form) is then read from memory once per batch (of up to 64 rows at a time, {@code PanelledTriangle}) instead of
 * once per sub-block. Each row's result does not depend on the batch it is in. Each row k adds
 * scale·(prior − kᵀPk) (eV²) to its atom's variance when the batch is flushed. Not thread-safe; no allocation
 * after construction.
 */
final class VarianceBatch {
    /** Rows per product. */
    static final int CAPACITY = 256;

    private final VarianceProjection projection;
    private final int m;
    /** The queued rows, row-major. */
    private final double[] rows;
    private final int[] atoms = new int[CAPACITY];
    private final double[] priors = new double[CAPACITY];
    private final double[] scales = new double[CAPACITY];
    private final double[] y;
    private final double[] quadratics = new double[CAPACITY];
    private int count;

    VarianceBatch(VarianceProjection projection) {
        this.projection = projection;
        this.m = projection.sparseCount();
        this.rows = new double[CAPACITY * m];
        this.y = projection.needsScratch() ? new double[CAPACITY * projection.scratchRow()] : null;
    }

    /**
     * Queues one kernel row (M values of {@code k} from {@code offset}); flushes first if the batch is full.
     *
     * @param atom the atom whose variance receives scale·(prior − kᵀPk)
     * @param prior the row's prior variance k** (eV²)
     * @param scale its weight (e.g. the squared cutoff weight f_c²)
     * @param variance per-atom variances (eV², doubles by atom index)
     */
    void add(double[] k, int offset, int atom, double prior, double scale, MemorySegment variance) {
        if (count == CAPACITY) {
            flush(variance);
        }
        System.arraycopy(k, offset, rows, count * m, m);
        atoms[count] = atom;
        priors[count] = prior;
        scales[count] = scale;
        count++;
    }

    /** Adds every queued row's scale·(prior − kᵀPk) to its atom's variance and empties the batch. */
    void flush(MemorySegment variance) {
        projection.quadratics(rows, count, y, quadratics);
        for (int c = 0; c < count; c++) {
            int a = atoms[c];
            variance.setAtIndex(JAVA_DOUBLE, a,
                    variance.getAtIndex(JAVA_DOUBLE, a) + scales[c] * (priors[c] - quadratics[c]));
        }
        count = 0;
    }
}
