package org.soapstone.engine.fit;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * What gap_fit needs to know of the whole training set before it fits, gathered one frame at a time: the species
 * in order of first appearance ({@code add_species} order), what e0 is computed from ({@code e0_method=average}:
 * the mean over frames with an energy of E/N, summed exactly; {@code isolated}: the first two single-atom frames
 * of each species with an energy and no neighbour within the largest cutoff) and what the labels held
 * ({@link LabelReader.Tally}). A monoid: the census of a run of frames, {@link #add added} to the census of the
 * frames before it, gives the census of both — bit for bit whatever the split, so a distributed read gathers it
 * partition by partition and agrees with a read of the whole file. Then {@link #e0} applies gap_fit's rules
 * ({@code e0_from_xyz} in GAP's {@code gap_fit_module.f95}).
 */
public final class TrainingCensus implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A single-atom frame with an energy and no neighbour, where it is. */
    private record Isolated(int z, String file, int index, long line, double energy) implements Serializable {
    }

    private long frames;
    private long atoms;
    /** Atomic number → 0-based index of the first frame with it, in order of first appearance. */
    private final LinkedHashMap<Integer, Integer> firstFrame = new LinkedHashMap<>();
    private BigDecimal energyPerAtom = BigDecimal.ZERO;
    private long energies;
    /** Atomic number → the first two isolated-atom frames of that species, in frame order. */
    private final LinkedHashMap<Integer, List<Isolated>> isolated = new LinkedHashMap<>();
    private final LabelReader.Tally tally = new LabelReader.Tally();

    /**
     * Counts the next frame of the training set.
     *
     * @param frame the frame; its index is its place in the whole set
     * @param file the file it comes from, for messages
     * @param cutoff the largest descriptor cutoff (Å): an isolated atom has no neighbour within it
     */
    public void add(TrainingFrame frame, String file, double cutoff) {
        frames++;
        Structure s = frame.structure();
        atoms += s.size();
        for (int z : s.numbers()) {
            firstFrame.putIfAbsent(z, frame.index());
        }
        if (frame.hasEnergy()) {
            energyPerAtom = energyPerAtom.add(new BigDecimal(frame.energy() / s.size()));
            energies++;
            if (s.size() == 1 && NeighbourList.build(s, cutoff, true).pairs() == 0) {
                int z = s.numbers()[0];
                List<Isolated> found = isolated.computeIfAbsent(z, k -> new ArrayList<>(2));
                if (found.size() < 2) {
                    found.add(new Isolated(z, file, frame.index(), frame.line(), frame.energy()));
                }
            }
        }
    }

    /**
     * Adds the census of the frames that come after this one's.
     *
     * @param later a census of later frames (every index greater than this census's)
     */
    public void add(TrainingCensus later) {
        frames += later.frames;
        atoms += later.atoms;
        later.firstFrame.forEach(firstFrame::putIfAbsent);
        energyPerAtom = energyPerAtom.add(later.energyPerAtom);
        energies += later.energies;
        later.isolated.forEach((z, found) -> {
            List<Isolated> mine = isolated.computeIfAbsent(z, k -> new ArrayList<>(2));
            for (Isolated i : found) {
                if (mine.size() < 2) {
                    mine.add(i);
                }
            }
        });
        tally.add(later.tally);
    }

    /** @return the tally of labels, to which the frames' {@link LabelReader} counts are added */
    public LabelReader.Tally tally() {
        return tally;
    }

    /** @return the number of frames counted */
    public long frames() {
        return frames;
    }

    /** @return the number of atoms in the frames counted */
    public long atoms() {
        return atoms;
    }

    /** @return the atomic numbers in order of first appearance */
    public int[] species() {
        return firstFrame.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * e0 by gap_fit's rules (see {@link TrainingSet}).
     *
     * @param settings the fit's settings
     * @param file the training set as named to the user
     * @param notes receives the line saying which e0 was used
     * @return e0 (eV per atom) indexed by atomic number, length 119, e0_offset included
     * @throws TrainingDataException if e0 cannot be had for a species of the data
     */
    public double[] e0(FitSettings settings, String file, List<String> notes) {
        double[] e0 = new double[119];
        String how = switch (settings.e0()) {
            case E0Settings.Uniform u -> {
                java.util.Arrays.fill(e0, 1, 119, u.value());
                yield "e0=" + u.value();
            }
            case E0Settings.PerSpecies p -> {
                List<String> missing = new ArrayList<>();
                firstFrame.forEach((z, index) -> {
                    if (!p.byZ().containsKey(z)) {
                        missing.add(Element.of(z).symbol() + " (first in frame index " + index + ")");
                    }
                });
                if (!missing.isEmpty()) {
                    throw new TrainingDataException(file, -1, 0, "e0", "no value for " + String.join(", ", missing)
                            + "; give every species of the data, e.g. e0={" + example() + "}");
                }
                p.byZ().forEach((z, v) -> e0[z] = v);
                yield "e0 given";
            }
            case E0Settings.Average a -> {
                double mean = energies == 0 ? 0 : energyPerAtom.divide(BigDecimal.valueOf(energies),
                        MathContext.DECIMAL128).doubleValue();
                firstFrame.keySet().forEach(z -> e0[z] = mean);
                yield "e0_method=average over " + energies + " frames";
            }
            case E0Settings.Isolated i -> {
                isolated(settings, file, e0);
                yield "e0_method=isolated";
            }
        };
        for (int z = 1; z < 119; z++) {
            boolean present = firstFrame.containsKey(z);
            boolean fromData = settings.e0() instanceof E0Settings.Average
                    || settings.e0() instanceof E0Settings.Isolated;
            e0[z] = present || !fromData ? e0[z] + settings.e0Offset() : 0.0;
        }
        StringBuilder line = new StringBuilder("e0 (eV/atom, " + how
                + (settings.e0Offset() != 0 ? ", plus e0_offset=" + settings.e0Offset() : "") + "):");
        firstFrame.keySet().forEach(z -> line.append(' ').append(Element.of(z).symbol()).append(' ').append(e0[z]));
        notes.add(line.toString());
        return e0;
    }

    private void isolated(FitSettings settings, String file, double[] e0) {
        Isolated second = null;
        Isolated first = null;
        for (List<Isolated> found : isolated.values()) {
            if (found.size() > 1 && (second == null || found.get(1).index() < second.index())) {
                first = found.get(0);
                second = found.get(1);
            }
        }
        if (second != null) {
            String symbol = Element.of(second.z()).symbol();
            throw new TrainingDataException(second.file(), second.index(), second.line(), "e0", "a second isolated "
                    + symbol + " atom (the first is frame index " + first.index() + "); gap_fit refuses this as "
                    + "ambiguous: give e0={" + symbol + ":...}");
        }
        List<String> missing = new ArrayList<>();
        for (int z : firstFrame.keySet()) {
            List<Isolated> found = isolated.get(z);
            if (found == null) {
                missing.add(Element.of(z).symbol());
            } else {
                e0[z] = found.get(0).energy();
            }
        }
        if (!missing.isEmpty()) {
            throw new TrainingDataException(file, -1, 0, "e0", "no isolated-atom frame for " + String.join(", ", missing)
                    + ": gap_fit's default e0_method=isolated needs, for every species, a frame with one atom, an "
                    + "energy and no neighbour within " + settings.maxCutoff() + " Å (the largest descriptor cutoff); "
                    + "give e0={" + example() + "} (eV per atom) or e0_method=average");
        }
    }

    private String example() {
        StringBuilder sb = new StringBuilder();
        for (int z : firstFrame.keySet()) {
            sb.append(sb.isEmpty() ? "" : ":").append(Element.of(z).symbol()).append(":E0");
        }
        return sb.toString();
    }
}
