package org.soapstone.engine.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.io.AtomicFile;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;

/**
 * The files gap_fit writes about the sparse points it chose, from the keys of the descriptor strings:
 * {@code print_sparse_index=FILE} appends one line per term to FILE, the chosen instances in gap_fit's numbering
 * (1-based, increasing, separated by single spaces; {@code gpCoordinates_sparsify_config_type} in GAP's
 * {@code gp_fit.f95}), which {@code sparse_method=index_file} reads back; {@code mark_sparse_atoms=T} writes
 * {@code <gap_file>.sparse_atoms.xyz}, a copy of the training frames with a per-atom logical {@code sparse}, true
 * for the centre atom of every sparse point of the terms that ask for it (the behaviour gap_fit's help describes;
 * gap_fit itself parses the key but its implementation is commented out). Files are written to a temporary file,
 * then renamed.
 */
final class SparsePointFiles {
    private SparsePointFiles() {
    }

    /**
     * @param settings the fit's settings (file names are relative to {@link FitSettings#directory()})
     * @param specs the descriptor strings of the terms, in order
     * @param choice the sparse points chosen
     * @param frames the training frames the instances came from
     * @param notes receives one line per file written
     */
    static void write(FitSettings settings, List<DescriptorSpec> specs, SparsePointChooser.Choice choice,
            List<TrainingFrame> frames, List<String> notes) {
        try {
            for (int t = 0; t < specs.size(); t++) {
                String name = specs.get(t).fit().printSparseIndex();
                if (!name.isEmpty() && specs.get(t).fit().sparseMethod() != org.soapstone.engine.descriptor.SparseMethod.FILE) {
                    Path file = settings.resolve(name);
                    append(file, line(choice.chosen().get(t)));
                    notes.add("print_sparse_index: the " + choice.chosen().get(t).length + " sparse points of "
                            + "descriptor " + (t + 1) + " appended to " + file);
                }
            }
            List<boolean[]> marks = marks(specs, choice, frames);
            if (marks != null) {
                Path file = settings.gapFile().resolveSibling(settings.gapFile().getFileName() + ".sparse_atoms.xyz");
                Structure[] copies = new Structure[frames.size()];
                int[] order = new int[frames.size()];
                for (int f = 0; f < frames.size(); f++) {
                    order[f] = f;
                }
                // the frames in file order, whatever order the sparse points were chosen in
                order = java.util.Arrays.stream(order).boxed()
                        .sorted(java.util.Comparator.comparingInt(f -> frames.get(f).index()))
                        .mapToInt(Integer::intValue).toArray();
                for (int k = 0; k < order.length; k++) {
                    Structure s = frames.get(order[k]).structure().copy();
                    s.setProperty("sparse", new AtomProperty(AtomProperty.Type.LOGICAL, 1, marks.get(order[k])));
                    copies[k] = s;
                }
                ExtXyz.write(file, List.of(copies));
                notes.add("mark_sparse_atoms: training frames with the per-atom logical 'sparse' written to " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sparse-point files: " + e.getMessage(), e);
        }
    }

    /** @return gap_fit's line for one term: the indices separated by single spaces */
    static String line(int[] indices) {
        StringJoiner j = new StringJoiner(" ");
        for (int i : indices) {
            j.add(Integer.toString(i));
        }
        return j.toString();
    }

    /** Per frame, which atoms are the centre of a sparse point of a term with mark_sparse_atoms; null if none asks. */
    private static List<boolean[]> marks(List<DescriptorSpec> specs, SparsePointChooser.Choice choice,
            List<TrainingFrame> frames) {
        List<boolean[]> marks = null;
        for (int t = 0; t < specs.size(); t++) {
            if (!specs.get(t).fit().markSparseAtoms()) {
                continue;
            }
            if (marks == null) {
                marks = new ArrayList<>();
                for (TrainingFrame f : frames) {
                    marks.add(new boolean[f.structure().size()]);
                }
            }
            SparsePointChooser.Instances all = choice.instances().get(t);
            for (int i : choice.chosen().get(t)) {
                marks.get(all.frame()[i - 1])[all.centre()[i - 1]] = true;
            }
        }
        return marks;
    }

    /** Appends a line to a file (created if absent), as gap_fit appends, through a temporary file. */
    private static void append(Path file, String line) throws IOException {
        String before = Files.exists(file) ? Files.readString(file) : "";
        byte[] text = (before + (before.isEmpty() || before.endsWith("\n") ? "" : "\n") + line + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(text));
    }
}
