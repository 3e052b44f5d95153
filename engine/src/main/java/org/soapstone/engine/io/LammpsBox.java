package org.soapstone.engine.io;

import org.soapstone.engine.structure.Cell;

/**
 * A cell expressed as a LAMMPS restricted-triclinic box, with the orthogonal map between the structure's
 * Cartesian frame and the LAMMPS frame.
 *
 * <p>LAMMPS requires a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz) with lx, ly, lz &gt; 0. For a general cell
 * with rows a, b, c (Å) the LAMMPS frame has orthonormal axes â = a/|a|, b̂ = the part of b orthogonal to â
 * (normalised), ĉ = the part of c orthogonal to both (normalised) — a QR decomposition of the lattice as ASE's
 * {@code ase.calculators.lammps.Prism} does. The rotation Q has rows â, b̂, ĉ, so a vector v (Å, eV/Å, Å/fs, …)
 * in the structure's frame is Q·v in the LAMMPS frame, and a LAMMPS-frame vector w is Qᵀ·w in the structure's
 * frame; a symmetric tensor σ maps back as Qᵀ σ' Q. For a left-handed cell Q has determinant −1 (a reflection),
 * which leaves energies unchanged and maps forces and stresses the same way.
 *
 * <p>The tilts are then reduced into LAMMPS's limits (|xy| ≤ lx/2, |xz| ≤ lx/2, |yz| ≤ ly/2) by adding lattice
 * vectors along periodic directions: the same periodic system, the same rotation. Instances are immutable.
 */
public final class LammpsBox {
    private final double lx, ly, lz, xy, xz, yz;
    private final double[] rotation;

    private LammpsBox(double lx, double ly, double lz, double xy, double xz, double yz, double[] rotation) {
        this.lx = lx;
        this.ly = ly;
        this.lz = lz;
        this.xy = xy;
        this.xz = xz;
        this.yz = yz;
        this.rotation = rotation;
    }

    /**
     * @param cell a cell with volume (Å)
     * @return its LAMMPS box, tilts reduced along periodic directions
     * @throws IllegalArgumentException if the cell has no volume
     */
    public static LammpsBox of(Cell cell) {
        if (!cell.hasVolume()) {
            throw new IllegalArgumentException("a LAMMPS box needs a cell with volume, got " + cell);
        }
        double[] h = cell.matrix();
        double[] q = new double[9];
        double lx = norm(h, 0);
        for (int k = 0; k < 3; k++) {
            q[k] = h[k] / lx;
        }
        double xy = dot(h, 3, q, 0);
        double[] bPerp = {h[3] - xy * q[0], h[4] - xy * q[1], h[5] - xy * q[2]};
        double ly = norm(bPerp, 0);
        for (int k = 0; k < 3; k++) {
            q[3 + k] = bPerp[k] / ly;
        }
        double xz = dot(h, 6, q, 0);
        double yz = dot(h, 6, q, 3);
        double[] cPerp = new double[3];
        for (int k = 0; k < 3; k++) {
            cPerp[k] = h[6 + k] - xz * q[k] - yz * q[3 + k];
        }
        double lz = norm(cPerp, 0);
        for (int k = 0; k < 3; k++) {
            q[6 + k] = cPerp[k] / lz;
        }
        if (cell.periodic(1)) {
            double n = Math.rint(yz / ly);
            yz -= n * ly;
            xz -= n * xy;
        }
        if (cell.periodic(0)) {
            xz -= Math.rint(xz / lx) * lx;
            xy -= Math.rint(xy / lx) * lx;
        }
        return new LammpsBox(lx, ly, lz, xy, xz, yz, q);
    }

    private static double norm(double[] v, int off) {
        return Math.sqrt(v[off] * v[off] + v[off + 1] * v[off + 1] + v[off + 2] * v[off + 2]);
    }

    private static double dot(double[] a, int ao, double[] b, int bo) {
        return a[ao] * b[bo] + a[ao + 1] * b[bo + 1] + a[ao + 2] * b[bo + 2];
    }

    /** @return box length along x (Å) */
    public double lx() {
        return lx;
    }

    /** @return box length along y (Å) */
    public double ly() {
        return ly;
    }

    /** @return box length along z (Å) */
    public double lz() {
        return lz;
    }

    /** @return the xy tilt (Å) */
    public double xy() {
        return xy;
    }

    /** @return the xz tilt (Å) */
    public double xz() {
        return xz;
    }

    /** @return the yz tilt (Å) */
    public double yz() {
        return yz;
    }

    /** @return true if any tilt is non-zero (the data file then carries an {@code xy xz yz} line) */
    public boolean triclinic() {
        return xy != 0 || xz != 0 || yz != 0;
    }

    /** @return the LAMMPS lattice vectors as rows, row-major (Å): (lx,0,0), (xy,ly,0), (xz,yz,lz) */
    public double[] lattice() {
        return new double[] {lx, 0, 0, xy, ly, 0, xz, yz, lz};
    }

    /** @return a copy of the row-major orthogonal matrix Q (rows â, b̂, ĉ) mapping structure frame to LAMMPS frame */
    public double[] rotation() {
        return rotation.clone();
    }

    /** Maps flat 3-vectors (any unit) from the structure's frame to the LAMMPS frame: v' = Q v, in place. */
    public void toLammps(double[] vectors) {
        double[] q = rotation;
        for (int k = 0; k + 2 < vectors.length; k += 3) {
            double x = vectors[k], y = vectors[k + 1], z = vectors[k + 2];
            vectors[k] = q[0] * x + q[1] * y + q[2] * z;
            vectors[k + 1] = q[3] * x + q[4] * y + q[5] * z;
            vectors[k + 2] = q[6] * x + q[7] * y + q[8] * z;
        }
    }

    /** Maps flat 3-vectors (any unit) from the LAMMPS frame back to the structure's frame: v = Qᵀ v', in place. */
    public void fromLammps(double[] vectors) {
        double[] q = rotation;
        for (int k = 0; k + 2 < vectors.length; k += 3) {
            double x = vectors[k], y = vectors[k + 1], z = vectors[k + 2];
            vectors[k] = q[0] * x + q[3] * y + q[6] * z;
            vectors[k + 1] = q[1] * x + q[4] * y + q[7] * z;
            vectors[k + 2] = q[2] * x + q[5] * y + q[8] * z;
        }
    }

    /**
     * @param voigt a symmetric tensor in the LAMMPS frame, Voigt order xx, yy, zz, yz, xz, xy (any unit)
     * @return the same tensor in the structure's frame, Qᵀ σ' Q, Voigt order
     */
    public double[] tensorFromLammps(double[] voigt) {
        double[] s = {
            voigt[0], voigt[5], voigt[4],
            voigt[5], voigt[1], voigt[3],
            voigt[4], voigt[3], voigt[2]
        };
        double[] q = rotation;
        double[] out = new double[9];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double sum = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        sum += q[3 * i + a] * s[3 * i + j] * q[3 * j + b];
                    }
                }
                out[3 * a + b] = sum;
            }
        }
        return new double[] {out[0], out[4], out[8], out[5], out[2], out[1]};
    }
}
