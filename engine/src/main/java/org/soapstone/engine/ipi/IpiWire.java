package org.soapstone.engine.ipi;

import java.nio.ByteBuffer;
import org.soapstone.engine.structure.Cell;

/**
 * Conversions between Soapstone's cell and virial and their i-PI wire form. The wire cell h has the lattice
 * vectors as its columns, in Bohr, row-major (bytes ax bx cx ay by cy az bz cz, ASE's {@code cell.T}); its inverse
 * follows as h⁻¹ row-major (1/Bohr), which receivers must not trust (ASE 3.22 sends the transpose) and Soapstone
 * recomputes. The virial W = −σV is sent in Hartree.
 */
final class IpiWire {
    /** Bytes of a 3×3 float64 matrix. */
    static final int MATRIX_BYTES = 72;

    private IpiWire() {}

    /** Puts h (Bohr) then h⁻¹ (1/Bohr) of {@code cell}; a cell without volume is sent as zeros, as ASE does. */
    static void putCell(ByteBuffer b, Cell cell) {
        double[] m = cell.matrix();
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                b.putDouble(m[3 * k + i] / IpiUnits.BOHR);
            }
        }
        double[] inv = cell.hasVolume() ? cell.inverseMatrix() : new double[9];
        // h⁻¹ = (Mᵀ)⁻¹ = (M⁻¹)ᵀ, M the row-vector lattice
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                b.putDouble(inv[3 * k + i] * IpiUnits.BOHR);
            }
        }
    }

    /**
     * Reads h and skips h⁻¹.
     *
     * @return the cell (Å), periodic in all three directions, or {@link Cell#none()} for a zero cell
     */
    static Cell readCell(ByteBuffer b) {
        double[] lattice = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                lattice[3 * k + i] = b.getDouble() * IpiUnits.BOHR;
            }
        }
        b.position(b.position() + MATRIX_BYTES);
        boolean zero = true;
        for (double v : lattice) {
            zero &= v == 0;
        }
        return zero ? Cell.none() : new Cell(lattice, new boolean[] {true, true, true});
    }

    /** Puts the symmetric virial {@code w} (eV, row-major 3×3) in Hartree. */
    static void putVirial(ByteBuffer b, double[] w) {
        for (double v : w) {
            b.putDouble(v / IpiUnits.HARTREE);
        }
    }

    /**
     * Reads a virial (Hartree) and symmetrises it: an off-diagonal pair with one entry exactly zero takes the other
     * (LAMMPS {@code fix ipi} fills only one triangle), otherwise their mean.
     *
     * @return the virial, row-major 3×3 (eV)
     */
    static double[] readVirial(ByteBuffer b) {
        double[] w = new double[9];
        for (int k = 0; k < 9; k++) {
            w[k] = b.getDouble() * IpiUnits.HARTREE;
        }
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                double upper = w[3 * i + j];
                double lower = w[3 * j + i];
                double v = upper == 0 ? lower : lower == 0 ? upper : 0.5 * (upper + lower);
                w[3 * i + j] = v;
                w[3 * j + i] = v;
            }
        }
        return w;
    }
}
