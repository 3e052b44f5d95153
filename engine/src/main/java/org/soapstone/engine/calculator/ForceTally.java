package org.soapstone.engine.calculator;

import java.util.Arrays;
import org.soapstone.engine.neighbour.NeighbourList;

/**
 * One worker's running sums of a potential's terms, as LAMMPS's {@code ev_tally} keeps them: the energy (eV), the
 * per-atom energies (eV), the forces F = −∂E/∂r (eV/Å, 3 per atom) and the strain derivative ∂E/∂ε (eV, row-major
 * 3×3; the stress is σ = (1/V) ∂E/∂ε with ASE's sign, the virial W = −∂E/∂ε).
 *
 * <p>A term that depends on the positions only through displacements between its atoms has gradients that sum to
 * zero, so its strain derivative is Σ_a o_a ⊗ ∂E/∂r_a over its atoms with o_a the position of atom a relative to
 * any one point (the term's central atom, say; periodic images as the term sees them). Three forms tally it, as
 * LAMMPS has {@code ev_tally}, {@code ev_tally_xyz} and {@code ev_tally3}: {@link #gradient} (one atom, at o from
 * its term's centre, receives ∂E/∂r = g: a GAP instance's descriptor gradients), {@link #pairs} (a centre's pair
 * terms φ(r) from a half neighbour list: pair potentials, EAM) and {@link #neighbourForces} (the forces a many-body
 * centre's terms put on its neighbours). The row forms keep their sums in registers over a centre's neighbours
 * and touch this object's sums once per centre. Not thread-safe: one per worker ({@link WorkerTallies}).
 */
public final class ForceTally {
    private double[] forces = new double[0];
    private PairRow row = new PairRow(64);
    private double[] energies = new double[0];
    private double energy;
    private double xx, xy, xz, yx, yy, yz, zx, zy, zz;

    /** Zeroes every sum, sizing the arrays for {@code atoms} atoms (allocating only when the count changed). */
    public void reset(int atoms) {
        if (energies.length != atoms) {
            forces = new double[3 * atoms];
            energies = new double[atoms];
        } else {
            Arrays.fill(forces, 0);
            Arrays.fill(energies, 0);
        }
        energy = 0;
        xx = xy = xz = yx = yy = yz = zx = zy = zz = 0;
    }

    /**
     * Atom a, at o = (ox, oy, oz) (Å) from its term's centre, has ∂E/∂r_a = g (eV/Å): F_a −= g, ∂E/∂ε += o ⊗ g.
     */
    public void gradient(int a, double ox, double oy, double oz, double gx, double gy, double gz) {
        double[] f = forces;
        f[3 * a] -= gx;
        f[3 * a + 1] -= gy;
        f[3 * a + 2] -= gz;
        xx += ox * gx;
        xy += ox * gy;
        xz += ox * gz;
        yx += oy * gx;
        yy += oy * gy;
        yz += oy * gz;
        zx += oz * gx;
        zy += oz * gy;
        zz += oz * gz;
    }

    /** One centre's pair terms within their cutoffs, filled by a potential ({@link #add}) for {@link #pairs}. */
    public static final class PairRow {
        private int count;
        private final int[] pair;
        private final double[] fpair;
        private final double[] phi;

        PairRow(int capacity) {
            pair = new int[capacity];
            fpair = new double[capacity];
            phi = new double[capacity];
        }

        /**
         * @param p the pair's index in the neighbour list
         * @param fpair φ'(r)/r (eV/Å²)
         * @param phi φ(r) (eV)
         */
        public void add(int p, double fpair, double phi) {
            pair[count] = p;
            this.fpair[count] = fpair;
            this.phi[count] = phi;
            count++;
        }
    }

    /** @return this tally's row for {@link #pairs}, emptied, with room for {@code capacity} pairs */
    public PairRow pairRow(int capacity) {
        if (row.pair.length < capacity) {
            row = new PairRow(Math.max(capacity, 2 * row.pair.length));
        }
        row.count = 0;
        return row;
    }

    /**
     * The pair terms φ(r) of atom i that {@code row} holds, from a half neighbour list (each pair once). With
     * d = r_j − r_i: F_i += (φ'/r) d, F_j −= (φ'/r) d, ∂E/∂ε += (φ'/r) d ⊗ d, and φ to the energy, half to each
     * atom's (as LAMMPS's {@code ev_tally}).
     */
    public void pairs(int i, NeighbourList list, PairRow row) {
        int[] pair = row.pair;
        double[] fpair = row.fpair;
        double[] phi = row.phi;
        double[] f = forces;
        double[] e = energies;
        int[] neighbour = list.neighbour;
        double[] vector = list.vector;
        double fx = 0, fy = 0, fz = 0, ei = 0, sum = 0;
        double sxx = 0, syy = 0, szz = 0, syz = 0, sxz = 0, sxy = 0;
        for (int k = 0; k < row.count; k++) {
            int p = pair[k];
            double g = fpair[k];
            int j = neighbour[p];
            double dx = vector[3 * p], dy = vector[3 * p + 1], dz = vector[3 * p + 2];
            double gx = g * dx, gy = g * dy, gz = g * dz;
            fx += gx;
            fy += gy;
            fz += gz;
            f[3 * j] -= gx;
            f[3 * j + 1] -= gy;
            f[3 * j + 2] -= gz;
            double half = 0.5 * phi[k];
            ei += half;
            e[j] += half;
            sum += phi[k];
            sxx += gx * dx;
            syy += gy * dy;
            szz += gz * dz;
            syz += gy * dz;
            sxz += gx * dz;
            sxy += gx * dy;
        }
        f[3 * i] += fx;
        f[3 * i + 1] += fy;
        f[3 * i + 2] += fz;
        e[i] += ei;
        energy += sum;
        addSymmetric(sxx, syy, szz, syz, sxz, sxy);
    }

    /**
     * The terms of a many-body centre i: its {@code count} neighbours {@code atom[k]} at d_k = r_j − r_i
     * (Å) receive the forces f_k (eV/Å) and i receives −Σ f_k; ∂E/∂ε −= Σ d_k ⊗ f_k (the virial Σ d ⊗ f).
     */
    public void neighbourForces(int i, int count, int[] atom, double[] dx, double[] dy, double[] dz, double[] fx,
            double[] fy, double[] fz) {
        double[] f = forces;
        double fix = 0, fiy = 0, fiz = 0;
        double vxx = 0, vyy = 0, vzz = 0, vyz = 0, vxz = 0, vxy = 0;
        for (int k = 0; k < count; k++) {
            int j = atom[k];
            double x = fx[k], y = fy[k], z = fz[k];
            f[3 * j] += x;
            f[3 * j + 1] += y;
            f[3 * j + 2] += z;
            fix -= x;
            fiy -= y;
            fiz -= z;
            vxx += dx[k] * x;
            vyy += dy[k] * y;
            vzz += dz[k] * z;
            vyz += dy[k] * z;
            vxz += dx[k] * z;
            vxy += dx[k] * y;
        }
        f[3 * i] += fix;
        f[3 * i + 1] += fiy;
        f[3 * i + 2] += fiz;
        // the centre's terms are invariant under rotation, so their virial is symmetric: six components suffice
        addSymmetric(-vxx, -vyy, -vzz, -vyz, -vxz, -vxy);
    }

    /** Adds a symmetric strain derivative given by its Voigt components (eV) to both triangles. */
    private void addSymmetric(double sxx, double syy, double szz, double syz, double sxz, double sxy) {
        xx += sxx;
        yy += syy;
        zz += szz;
        yz += syz;
        zy += syz;
        xz += sxz;
        zx += sxz;
        xy += sxy;
        yx += sxy;
    }

    /** Adds {@code e} (eV) to the total energy and to atom i's. */
    public void energy(int i, double e) {
        energies[i] += e;
        energy += e;
    }

    /** Adds {@code e} (eV) to the total energy only (per-atom shares, if wanted, by {@link #atomEnergy}). */
    public void energy(double e) {
        energy += e;
    }

    /** Adds {@code e} (eV) to atom i's energy only. */
    public void atomEnergy(int i, double e) {
        energies[i] += e;
    }

    /** @return the total energy (eV) */
    public double energy() {
        return energy;
    }

    /** @return the forces (eV/Å), 3 per atom, as summed so far (the tally's own array) */
    public double[] forces() {
        return forces;
    }

    /** @return the per-atom energies (eV) as summed so far (the tally's own array) */
    public double[] energies() {
        return energies;
    }

    /** Adds the strain derivative ∂E/∂ε (eV, row-major 3×3) into {@code out}. */
    public void addStrainDerivative(double[] out) {
        out[0] += xx;
        out[1] += xy;
        out[2] += xz;
        out[3] += yx;
        out[4] += yy;
        out[5] += yz;
        out[6] += zx;
        out[7] += zy;
        out[8] += zz;
    }
}
