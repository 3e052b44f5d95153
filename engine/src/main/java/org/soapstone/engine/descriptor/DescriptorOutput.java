package org.soapstone.engine.descriptor;

import java.util.Arrays;
import org.soapstone.engine.calculator.ForceTally;

/**
 * The instances a {@link Descriptor} computed, in flat arrays that grow as needed and are reused between calls
 * (no allocation once they are large enough).
 *
 * <p>Instance i has the vector {@code values()[i·D .. i·D+D)} (D = {@link #dimension()}), a centre atom
 * {@link #centre(int)}, and a covariance cutoff weight {@link #cutoffWeight(int)} (QUIP's
 * {@code covariance_cutoff}: 1 for SOAP, f_c(r) for a pair), by which the model multiplies the instance's
 * kernel.
 *
 * <p>Gradients: instance i owns the gradient entries e in {@code [gradientStart(i), gradientEnd(i))}. Entry e is
 * the derivative with respect to the position of atom {@link #gradientAtom(int)} — the first entry of an instance
 * is its centre; several entries may name the same atom when neighbours are periodic images — and
 * ∂x_c/∂r_{e,k} is {@code gradients()[(3e + k)·D + c]}, so each (entry, direction) block is a contiguous
 * D-vector (1/Å for SOAP). The entry's position relative to the centre, r_e − r_centre (Å, the image actually
 * seen), is {@code gradientOffsets()[3e .. 3e+2]}; with it the stress of an energy E built from the instances is
 * σ_ab = (1/V) Σ_e (r_e − r_centre)_a ∂E/∂r_{e,b} (ASE sign, eV/Å³) and the virial is −σV. The gradients of
 * the cutoff weight are {@code cutoffWeightGradients()[3e + k]} (1/Å).
 */
public final class DescriptorOutput {
    private final int dimension;
    final Object workspace;
    private int count;
    private int entries;
    private boolean hasGradients;
    private double[] values = new double[0];
    private double[] weights = new double[0];
    private int[] centres = new int[0];
    private int[] start = new int[1];
    private int[] atoms = new int[0];
    private double[] offsets = new double[0];
    private double[] gradients = new double[0];
    private double[] weightGradients = new double[0];

    DescriptorOutput(int dimension, Object workspace) {
        this.dimension = dimension;
        this.workspace = workspace;
    }

    /** @return D, the length of each instance vector */
    public int dimension() {
        return dimension;
    }

    /** @return the number of instances */
    public int count() {
        return count;
    }

    /** @return whether gradients were computed */
    public boolean hasGradients() {
        return hasGradients;
    }

    /** @return the total number of gradient entries */
    public int gradientEntries() {
        return entries;
    }

    /** @return the instance vectors, row-major count × D (live storage; may be longer than count·D) */
    public double[] values() {
        return values;
    }

    /** @return component c of instance i */
    public double value(int i, int c) {
        return values[i * dimension + c];
    }

    /** @return the centre atom of instance i */
    public int centre(int i) {
        return centres[i];
    }

    /** @return the covariance cutoff weight of instance i (dimensionless) */
    public double cutoffWeight(int i) {
        return weights[i];
    }

    /** @return the first gradient entry of instance i (its centre) */
    public int gradientStart(int i) {
        return start[i];
    }

    /** @return one past the last gradient entry of instance i */
    public int gradientEnd(int i) {
        return start[i + 1];
    }

    /** @return the atom whose position entry e differentiates with respect to */
    public int gradientAtom(int e) {
        return atoms[e];
    }

    /** @return ∂x/∂r, (entry, direction, component) row-major, 3·D per entry (live storage) */
    public double[] gradients() {
        return gradients;
    }

    /** @return r_e − r_centre per entry, 3 per entry (Å; live storage) */
    public double[] gradientOffsets() {
        return offsets;
    }

    /** @return ∂(cutoff weight)/∂r per entry, 3 per entry (1/Å; live storage) */
    public double[] cutoffWeightGradients() {
        return weightGradients;
    }

    /**
     * Tallies the position gradient of f_c·ε(x_i), a function ε of instance i weighted by its cutoff weight f_c
     * (a GAP term's local energy), by the chain rule: for each of the instance's gradient entries e,
     * ∂(f_c ε)/∂r_e = f_c (∂ε/∂x)·(∂x/∂r_e) + ε ∂f_c/∂r_e, given to {@link ForceTally#gradient} with the entry's
     * offset from the centre. Needs the gradients.
     *
     * @param i the instance
     * @param epsilon ε(x_i) (eV)
     * @param dEpsilon ∂ε/∂x (eV per descriptor unit), D values from {@code offset}
     * @param tally where the forces (eV/Å) and strain derivative (eV) go
     */
    public void tallyGradient(int i, double epsilon, double[] dEpsilon, int offset, ForceTally tally) {
        int d = dimension;
        double fc = weights[i];
        double[] dx = gradients;
        double[] off = offsets;
        double[] dw = weightGradients;
        for (int e = start[i]; e < start[i + 1]; e++) {
            int r0 = 3 * e * d, r1 = r0 + d, r2 = r1 + d;
            double s0 = 0, s1 = 0, s2 = 0;
            for (int j = 0; j < d; j++) {
                double g = dEpsilon[offset + j];
                s0 += g * dx[r0 + j];
                s1 += g * dx[r1 + j];
                s2 += g * dx[r2 + j];
            }
            tally.gradient(atoms[e], off[3 * e], off[3 * e + 1], off[3 * e + 2], fc * s0 + epsilon * dw[3 * e],
                    fc * s1 + epsilon * dw[3 * e + 1], fc * s2 + epsilon * dw[3 * e + 2]);
        }
    }

    /** Empties the output before a new computation. */
    void reset(boolean withGradients) {
        count = 0;
        entries = 0;
        hasGradients = withGradients;
        start[0] = 0;
    }

    /**
     * Appends an instance with {@code nEntries} gradient entries (ignored without gradients), growing the arrays
     * if needed; its values, offsets and weight gradients are zeroed, its gradients are left for the descriptor
     * to write in full.
     *
     * @return the new instance's index
     */
    int add(int centre, int nEntries) {
        int i = count;
        if (i + 1 >= centres.length) {
            int cap = Math.max(16, 2 * (i + 1));
            centres = Arrays.copyOf(centres, cap);
            weights = Arrays.copyOf(weights, cap);
            values = Arrays.copyOf(values, cap * dimension);
            start = Arrays.copyOf(start, cap + 1);
        }
        centres[i] = centre;
        weights[i] = 1;
        Arrays.fill(values, i * dimension, (i + 1) * dimension, 0);
        int e0 = entries;
        if (hasGradients) {
            int e1 = e0 + nEntries;
            if (e1 > atoms.length) {
                int cap = Math.max(64, Math.max(e1, 2 * atoms.length));
                atoms = Arrays.copyOf(atoms, cap);
                offsets = Arrays.copyOf(offsets, 3 * cap);
                weightGradients = Arrays.copyOf(weightGradients, 3 * cap);
                gradients = Arrays.copyOf(gradients, 3 * cap * dimension);
            }
            Arrays.fill(offsets, 3 * e0, 3 * e1, 0);
            Arrays.fill(weightGradients, 3 * e0, 3 * e1, 0);
            entries = e1;
        }
        start[i + 1] = entries;
        count = i + 1;
        return i;
    }

    /** Sets the atom and offset (Å) of gradient entry e. */
    void setEntry(int e, int atom, double ox, double oy, double oz) {
        atoms[e] = atom;
        offsets[3 * e] = ox;
        offsets[3 * e + 1] = oy;
        offsets[3 * e + 2] = oz;
    }

    /** Sets the cutoff weight of instance i. */
    void setCutoffWeight(int i, double w) {
        weights[i] = w;
    }
}
