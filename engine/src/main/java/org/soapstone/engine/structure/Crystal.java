package org.soapstone.engine.structure;

/**
 * Bulk crystals built from a conventional cubic cell repeated n×n×n times: the starting points of MD runs,
 * benchmarks and tests.
 */
public final class Crystal {
    private static final double[][] FCC = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
    private static final double[][] BCC = {{0, 0, 0}, {0.5, 0.5, 0.5}};
    private static final double[][] DIAMOND = {
        {0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0},
        {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}
    };

    private Crystal() {}

    /** @return diamond-structure element {@code z}, lattice constant {@code a} (Å), n³ cubic cells (8n³ atoms) */
    public static Structure diamond(int z, double a, int n) {
        return build(DIAMOND, z, a, n);
    }

    /** @return face-centred cubic element {@code z}, lattice constant {@code a} (Å), n³ cubic cells (4n³ atoms) */
    public static Structure fcc(int z, double a, int n) {
        return build(FCC, z, a, n);
    }

    /** @return body-centred cubic element {@code z}, lattice constant {@code a} (Å), n³ cubic cells (2n³ atoms) */
    public static Structure bcc(int z, double a, int n) {
        return build(BCC, z, a, n);
    }

    private static Structure build(double[][] basis, int z, double a, int n) {
        if (n < 1 || a <= 0) {
            throw new IllegalArgumentException("need n ≥ 1 and a > 0, got n=" + n + ", a=" + a);
        }
        int atoms = basis.length * n * n * n;
        int[] numbers = new int[atoms];
        double[] r = new double[3 * atoms];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int l = 0; l < n; l++) {
                    for (double[] b : basis) {
                        numbers[k] = z;
                        r[3 * k] = (i + b[0]) * a;
                        r[3 * k + 1] = (j + b[1]) * a;
                        r[3 * k + 2] = (l + b[2]) * a;
                        k++;
                    }
                }
            }
        }
        return new Structure(numbers, r, Cell.cubic(n * a));
    }
}
