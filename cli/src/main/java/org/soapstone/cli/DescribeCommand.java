package org.soapstone.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.descriptor.ParallelDescriptor;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.io.Npy;
import org.soapstone.engine.io.NpyArray;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code soapstone describe}: computes a per-atom descriptor (SOAP) of every frame of an extended-XYZ file and
 * writes it as the per-atom property {@code descriptor} (or, for SOAP's {@code average=T}, one vector per frame in
 * the frame's info), optionally with its gradients (1/Å) as NumPy arrays.
 */
@Command(
        name = "describe",
        header = "Write every atom's descriptor vector (and, optionally, its gradients) for every frame.",
        mixinStandardHelpOptions = true,
        description = {
            "Computes a per-atom descriptor of every frame of IN (extended XYZ) and writes the frames to OUT with "
                    + "a per-atom real property 'descriptor' of D columns (the descriptor vector of each atom).",
            "Only descriptors with at most one instance per atom are accepted (soap); pair descriptors such as "
                    + "distance_2b are refused. With soap's Z={...} selecting some species as centres, the other "
                    + "atoms' rows are zero and the per-atom logical property 'descriptor_mask' is T for the centres. "
                    + "With soap's average=T (one SOAP of the frame's summed centre densities, QUIP's global SOAP) the "
                    + "vector is written as the frame's info 'descriptor' instead.",
            "",
            "With --gradients G.npy two NumPy files are written:",
            "  G.npy        float64, shape (E, 3, D): entry e holds d x_c / d r_{a,k} (1/Å), the derivative of "
                    + "the descriptor of centre atom c with respect to direction k (x, y, z) of the position of "
                    + "atom a;",
            "  G-index.npy  int64, shape (E, 3): row e is (frame, c, a), frame and atoms counted from 0.",
            "Entries are in order of frame, then centre atom; each centre's first entry is itself (a = c), then "
                    + "one per neighbour within the cutoff. A periodic image is its own entry, so several rows may "
                    + "share (frame, c, a): sum them (numpy.add.at) to get the derivative with respect to atom a. "
                    + "With average=T the entries are those of every centre in turn, c is -1 and x is the frame's "
                    + "vector.",
        })
public final class DescribeCommand implements Callable<Integer> {
    @Option(names = "--descriptor", required = true, paramLabel = "STRING",
            description = "gap_fit descriptor string, e.g. \"soap cutoff=5.0 n_max=8 l_max=8 atom_sigma=0.5\".")
    String descriptorText;

    @Parameters(index = "0", paramLabel = "IN", description = "Input extended-XYZ file (.xyz, .extxyz, .gz).")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "Output extended-XYZ file: the input frames with the per-atom property 'descriptor'.")
    Path output;

    @Option(names = "--gradients", paramLabel = "G.npy",
            description = "Also write the gradients to G.npy and their (frame, centre, atom) index to G-index.npy.")
    Path gradientsFile;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        Descriptor descriptor = DescriptorString.parseToDescribe(descriptorText).create();
        Path indexFile = gradientsFile == null ? null : indexFile(gradientsFile);
        List<Structure> frames = ExtXyz.read(input);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException(input + ": no frames (the file is empty)");
        }
        ParallelDescriptor parallel = new ParallelDescriptor(descriptor, WorkerPool.shared());
        Gradients gradients = gradientsFile == null ? null
                : new Gradients(descriptor.dimension(), descriptor.perStructure());
        List<Structure> described = new ArrayList<>(frames.size());
        try (Progress progress = Progress.start("describe", frames.size(), "frames", null)) {
            for (int f = 0; f < frames.size(); f++) {
                Structure s = frames.get(f);
                try {
                    NeighbourList nl = NeighbourList.build(s, descriptor.cutoff(), true);
                    parallel.compute(s, nl, gradients != null);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(input + ": frame " + (f + 1) + ": " + e.getMessage(), e);
                }
                described.add(withDescriptor(s, parallel, f));
                if (gradients != null) {
                    gradients.append(f, parallel);
                }
                progress.update(f + 1);
            }
        }
        ExtXyz.write(output, described);
        if (gradients != null) {
            Npy.write(gradientsFile, gradients.values());
            Npy.write(indexFile, gradients.index());
        }
        return 0;
    }

    /** @return G-index.npy next to G.npy */
    private static Path indexFile(Path gradients) {
        String name = gradients.getFileName().toString();
        if (!name.endsWith(".npy")) {
            throw new IllegalArgumentException("--gradients: '" + gradients + "' must end in .npy");
        }
        return gradients.resolveSibling(name.substring(0, name.length() - 4) + "-index.npy");
    }

    /**
     * @return a copy of frame {@code s} with the per-atom property 'descriptor' (and 'descriptor_mask' when some
     *     atoms are not centres), or, for a per-structure descriptor, the info 'descriptor'
     */
    private Structure withDescriptor(Structure s, ParallelDescriptor parallel, int frame) {
        int n = s.size();
        int dim = parallel.descriptor().dimension();
        Structure copy = s.copy();
        if (parallel.descriptor().perStructure()) {
            DescriptorOutput part = parallel.part(0);
            copy.info().put("descriptor", part.count() == 0 ? new double[dim]
                    : Arrays.copyOf(part.values(), dim));
            return copy;
        }
        double[] values = new double[n * dim];
        boolean[] centre = new boolean[n];
        int previous = -1;
        for (int w = 0; w < parallel.parts(); w++) {
            DescriptorOutput part = parallel.part(w);
            for (int k = 0; k < part.count(); k++) {
                int i = part.centre(k);
                if (i <= previous) {
                    throw new IllegalArgumentException(input + ": frame " + (frame + 1) + ": the descriptor has "
                            + "more than one instance for atom " + i + "; describe writes one vector per atom, so "
                            + "only per-atom descriptors (soap) are supported");
                }
                previous = i;
                centre[i] = true;
                System.arraycopy(part.values(), k * dim, values, i * dim, dim);
            }
        }
        copy.setProperty("descriptor", AtomProperty.real(dim, values));
        if (parallel.count() != n) {
            copy.setProperty("descriptor_mask", new AtomProperty(AtomProperty.Type.LOGICAL, 1, centre));
        }
        return copy;
    }

    /** The gradient entries of every frame, gathered in the layout the help text documents. */
    private static final class Gradients {
        private final int dim;
        private final boolean perStructure;
        private double[] values = new double[0];
        private long[] index = new long[0];
        private int entries;

        Gradients(int dim, boolean perStructure) {
            this.dim = dim;
            this.perStructure = perStructure;
        }

        void append(int frame, ParallelDescriptor parallel) {
            for (int w = 0; w < parallel.parts(); w++) {
                DescriptorOutput part = parallel.part(w);
                int count = part.gradientEntries();
                ensure(entries + count);
                System.arraycopy(part.gradients(), 0, values, 3 * entries * dim, 3 * count * dim);
                for (int k = 0; k < part.count(); k++) {
                    for (int e = part.gradientStart(k); e < part.gradientEnd(k); e++) {
                        int row = 3 * (entries + e);
                        index[row] = frame;
                        index[row + 1] = perStructure ? -1 : part.centre(k);
                        index[row + 2] = part.gradientAtom(e);
                    }
                }
                entries += count;
            }
        }

        private void ensure(int needed) {
            if ((long) 3 * needed * dim > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("--gradients: " + needed + " entries × 3 × " + dim
                        + " values exceed one Java array (2³¹); describe fewer frames at a time");
            }
            if (3 * needed > index.length) {
                int cap = (int) Math.min(Math.max(needed, 2L * index.length / 3), (Integer.MAX_VALUE - 8) / (3L * dim));
                values = Arrays.copyOf(values, 3 * cap * dim);
                index = Arrays.copyOf(index, 3 * cap);
            }
        }

        NpyArray values() {
            return NpyArray.of(Arrays.copyOf(values, 3 * entries * dim), entries, 3, dim);
        }

        NpyArray index() {
            return NpyArray.of(Arrays.copyOf(index, 3 * entries), entries, 3);
        }
    }
}
