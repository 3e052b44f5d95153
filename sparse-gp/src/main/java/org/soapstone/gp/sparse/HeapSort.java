package org.soapstone.gp.sparse;

/**
 * libAtoms' heap sort ({@code heap_sort} with {@code i_data} in {@code linearalgebra.f95}): sorts reals ascending
 * and carries an integer array along. Not stable; it is reproduced step for step because gap_fit's choices depend
 * on how it orders equal keys (which of two identical descriptors is dropped as a duplicate, which candidates come
 * first when the keys of CUR tie).
 */
final class HeapSort {
    private HeapSort() {
    }

    /**
     * Sorts {@code keys} ascending in place, permuting {@code data} alongside.
     *
     * @param keys the keys
     * @param data carried along, same length
     */
    static void sort(double[] keys, int[] data) {
        if (keys.length != data.length) {
            throw new IllegalArgumentException(keys.length + " keys but " + data.length + " data");
        }
        int n = keys.length;
        for (int i = n / 2; i >= 1; i--) {
            siftDown(keys, data, i, n);
        }
        for (int i = n; i >= 2; i--) {
            swap(keys, data, 1, i);
            siftDown(keys, data, 1, i - 1);
        }
    }

    /** libAtoms' {@code siftdown}, with 1-based positions as in the Fortran. */
    private static void siftDown(double[] a, int[] data, int root, int bottom) {
        while (root * 2 <= bottom) {
            int maxChild;
            if (root * 2 == bottom) {
                maxChild = root * 2;
            } else if (a[root * 2 - 1] > a[root * 2]) {
                maxChild = root * 2;
            } else {
                maxChild = root * 2 + 1;
            }
            if (a[root - 1] < a[maxChild - 1]) {
                swap(a, data, root, maxChild);
                root = maxChild;
            } else {
                return;
            }
        }
    }

    private static void swap(double[] a, int[] data, int p, int q) {
        double t = a[p - 1];
        a[p - 1] = a[q - 1];
        a[q - 1] = t;
        int u = data[p - 1];
        data[p - 1] = data[q - 1];
        data[q - 1] = u;
    }
}
