package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which gap_fit, run on several MPI processes, sees the training frames when it chooses sparse
 * points: libAtoms' task manager ({@code task_manager_distribute_tasks} in {@code task_manager.f95}) gives each frame
 * to a process, largest first, each to the least-loaded process (the first of equals), the load of a frame being its
 * number of observations (1 per energy, 3 per fitted force atom, 6 per virial; {@code fit_n_from_xyz}); each process
 * describes its frames in file order, and the descriptors are gathered on the first process, process by process
 * ({@code gpCoordinates_sparsify_config_type}). The frames are sorted by load with libAtoms' insertion sort, which
 * reorders frames of equal load, together with one more task (the rows of the sparse points, shared by all
 * processes) that is never assigned; both quirks are reproduced. The fit itself does not depend on this order, only
 * the sparse points (and their numbering) do.
 */
final class MpiFrameOrder {
    private MpiFrameOrder() {
    }

    /**
     * @param frames the training frames in file order
     * @param processes the number of MPI processes (the N of {@code mpirun -np N}), ≥ 1
     * @param sparsePoints the total number of sparse points of the fit (the size of the shared task)
     * @return the frames in the order gap_fit gathers them
     */
    static List<TrainingFrame> order(List<TrainingFrame> frames, int processes, int sparsePoints) {
        if (processes < 1) {
            throw new IllegalArgumentException("the number of MPI processes must be ≥ 1, got " + processes);
        }
        if (processes == 1) {
            return frames;
        }
        int n = frames.size();
        int[] load = new int[n + 1];
        int[] task = new int[n + 1];
        for (int f = 0; f < n; f++) {
            TrainingFrame frame = frames.get(f);
            load[f] = (frame.hasEnergy() ? 1 : 0) + frame.fittedForceComponents() + (frame.virial() != null ? 6 : 0);
            task[f] = f;
        }
        load[n] = sparsePoints;
        task[n] = n; // the shared task
        insertionSort(load, task);
        int[] process = new int[n];
        long[] workload = new long[processes];
        for (int t = n; t >= 0; t--) {
            if (task[t] == n) {
                continue;
            }
            int w = 0;
            for (int k = 1; k < processes; k++) {
                if (workload[k] < workload[w]) {
                    w = k;
                }
            }
            process[task[t]] = w;
            workload[w] += load[t];
        }
        List<TrainingFrame> out = new ArrayList<>(n);
        for (int w = 0; w < processes; w++) {
            for (int f = 0; f < n; f++) {
                if (process[f] == w) {
                    out.add(frames.get(f));
                }
            }
        }
        return out;
    }

    /** libAtoms' {@code insertion_sort_i} with {@code i_data}: ascending; an element that moves goes before equals. */
    static void insertionSort(int[] a, int[] data) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] >= a[i - 1]) {
                continue;
            }
            int v = a[i];
            int vi = data[i];
            int j = i - 1;
            while (j >= 0 && v <= a[j]) {
                a[j + 1] = a[j];
                data[j + 1] = data[j];
                j--;
            }
            a[j + 1] = v;
            data[j + 1] = vi;
        }
    }
}
