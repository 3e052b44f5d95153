package org.soapstone.potentials.manybody;

/**
 * One worker's per-neighbour working arrays for the current central atom i of a {@link ManyBodyCalculator}: the
 * neighbours j in range (entries {@code [0, count)}: atom index, element type, d = r_j − r_i in Å, the unit vector
 * d/r, the distance r in Å and 1/r in 1/Å), and what the central atom's terms give each of them: the force on j
 * (eV/Å; the force on i is minus their sum) and j's share of the per-atom energy (eV). A potential extends it with
 * the arrays its own terms need; the calculator ends each one with padding so that another worker's data never
 * shares its last cache line.
 */
public class Neighbourhood {
    /** How many neighbours the arrays hold. */
    public final int capacity;
    /** The neighbours' atom indices and element types. */
    public final int[] atom, type;
    /** d = r_j − r_i (Å), d/r, r (Å), 1/r (1/Å). */
    public final double[] dx, dy, dz, ux, uy, uz, r, inv;
    /** The force (eV/Å) on each neighbour and its per-atom energy share (eV), zero before the terms add in. */
    public final double[] fx, fy, fz, e;
    /** The number of neighbours in range. */
    public int count;
    /** The central atom's own per-atom energy share (eV) of its terms. */
    public double own;
    private long[] padding;

    /** @param capacity how many neighbours the arrays hold */
    protected Neighbourhood(int capacity) {
        this.capacity = capacity;
        atom = new int[capacity];
        type = new int[capacity];
        dx = new double[capacity];
        dy = new double[capacity];
        dz = new double[capacity];
        ux = new double[capacity];
        uy = new double[capacity];
        uz = new double[capacity];
        r = new double[capacity];
        inv = new double[capacity];
        fx = new double[capacity];
        fy = new double[capacity];
        fz = new double[capacity];
        e = new double[capacity];
    }

    /** Allocates the padding after everything a subclass allocated. */
    final void pad() {
        padding = new long[16];
    }
}
