package org.soapstone.engine.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.io.ExtXyzReader;
import org.soapstone.engine.structure.Structure;

/**
 * A gap_fit training file read with gap_fit's semantics ({@code read_fit_xyz}, {@code get_species_xyz},
 * {@code e0_from_xyz}, {@code set_baselines} and {@code fit_data_from_xyz} in GAP's {@code gap_fit_module.f95}).
 *
 * <p>Per frame (names from {@link FitSettings}, matched case-insensitively as QUIP does; {@code sigma} stands for
 * {@code sigma_parameter_name}): the σ of the frame's config type ({@link FitSettings#sigmasFor}); energy σ =
 * E·√N if {@code sigma_per_atom} (else E), overridden by an absolute per-frame {@code energy_sigma}; force σ =
 * F, overridden by per-frame {@code force_sigma}, per-atom {@code force_atom_sigma} (1 column) or, winning over
 * both, per-atom {@code force_component_sigma} (3 columns); atoms whose {@code force_mask} (logical column) is T
 * get σ = +∞ (not fitted); virial from the virial key (9 values) or else −stress × V from the stress key (9 values,
 * or 6 in Voigt order xx yy zz yz xz xy; ASE's sign), symmetrised, σ = V·√N if {@code sigma_per_atom} (else V),
 * overridden by per-frame {@code virial_sigma} or {@code virial_component_sigma} (9 values, symmetrised). A name no
 * frame has means that property is simply not fitted; {@link #notes()} says so.
 *
 * <p>e0 (eV per atom, indexed by Z): {@code e0=} values as given (an unlisted species of the data is an error);
 * {@code e0_method=average}: the mean over frames with energy of E/N for every species of the data;
 * {@code isolated} (the default): the energy of the frame with one atom of that species and no neighbour, periodic
 * images included, within the largest descriptor cutoff — every species needs exactly one. {@code e0_offset} is
 * added; as gap_fit, species absent from the data get 0 with isolated/average and the offset (plus any given value)
 * otherwise.
 *
 * @param file the training file
 * @param frames the frames, in file order
 * @param species atomic numbers in order of first appearance (gap_fit's {@code add_species} order)
 * @param e0 e0 (eV per atom) indexed by atomic number, length 119 (index 0 unused), e0_offset included: the fitter
 *     subtracts Σ_atoms e0[Z] from each energy
 * @param notes what was fitted and what was not, for the user
 * @param warnings what the user most likely did not mean: a default key gap_fit looks for ({@code force}, …) that no
 *     frame has while the frames have a likely match ({@code forces}), e.g. "no frame has 'force'; frames have
 *     'forces' — did you mean force_parameter_name=forces?"
 */
public record TrainingSet(Path file, List<TrainingFrame> frames, int[] species, double[] e0, List<String> notes,
        List<String> warnings) {

    /** Copies the lists and arrays; checks the length of e0. */
    public TrainingSet {
        frames = List.copyOf(frames);
        species = species.clone();
        e0 = e0.clone();
        notes = List.copyOf(notes);
        warnings = List.copyOf(warnings);
        if (e0.length != 119) {
            throw new IllegalArgumentException("e0 needs 119 entries (index = atomic number), not " + e0.length);
        }
    }

    /** @return a copy of the atomic numbers in order of first appearance */
    @Override
    public int[] species() {
        return species.clone();
    }

    /** @return a copy of e0 (eV per atom) indexed by atomic number */
    @Override
    public double[] e0() {
        return e0.clone();
    }

    /**
     * @param frame a frame of this set
     * @return Σ over the frame's atoms of e0[Z] (eV): what gap_fit subtracts from the frame's energy before fitting
     */
    public double referenceEnergy(TrainingFrame frame) {
        double sum = 0;
        for (int z : frame.structure().numbers()) {
            sum += e0[z];
        }
        return sum;
    }

    /**
     * Reads {@link FitSettings#atFile()}.
     *
     * @param settings the fit settings
     * @return the training set
     * @throws TrainingDataException naming file, line, frame and field for data gap_fit's rules cannot use
     * @throws org.soapstone.engine.io.ExtXyzFormatException for a malformed extended-XYZ file
     * @throws UncheckedIOException if the file cannot be read
     */
    public static TrainingSet read(FitSettings settings) {
        Path file = settings.atFile();
        LabelReader labels = new LabelReader(settings, file.toString());
        TrainingCensus census = new TrainingCensus();
        double cutoff = settings.maxCutoff();
        List<TrainingFrame> frames = new ArrayList<>();
        try (ExtXyzReader reader = ExtXyz.open(file)) {
            while (reader.hasNext()) {
                Structure s = reader.next();
                TrainingFrame frame = labels.read(frames.size(), reader.frameLine(), s);
                census.add(frame, file.toString(), cutoff);
                frames.add(frame);
            }
        } catch (NoSuchFileException e) {
            throw new TrainingDataException(file, -1, 0, "at_file", "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        if (frames.isEmpty()) {
            throw new TrainingDataException(file, -1, 0, "frames", "the file has no frames");
        }
        census.tally().add(labels.tally());
        List<String> notes = new ArrayList<>(census.tally().notes(settings));
        double[] e0 = census.e0(settings, file.toString(), notes);
        return new TrainingSet(file, frames, census.species(), e0, notes, census.tally().warnings(settings));
    }
}
