package org.soapstone.engine.fit;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.soapstone.engine.structure.Element;

/**
 * How gap_fit's per-atom reference energies e0 (eV per atom of each species) are chosen; the fitted function is
 * E − Σ_atoms e0(Z) ({@code set_baselines} and {@code e0_from_xyz} in GAP's {@code gap_fit_module.f95}).
 * {@code e0_offset} ({@link FitSettings#e0Offset()}) is added to the result in every case.
 */
public sealed interface E0Settings {

    /**
     * {@code e0={Si:-0.79:C:-2.5}}: one value per species; a species in the training data missing from the map is
     * an error.
     *
     * @param byZ e0 (eV) by atomic number
     */
    record PerSpecies(Map<Integer, Double> byZ) implements E0Settings {
        /** Validates: atomic numbers 1–118, finite values; copies the map (sorted by Z). */
        public PerSpecies {
            if (byZ.isEmpty()) {
                throw new FitSettingsException("e0: no species given");
            }
            TreeMap<Integer, Double> copy = new TreeMap<>();
            for (Map.Entry<Integer, Double> e : byZ.entrySet()) {
                if (e.getKey() < 1 || e.getKey() > 118) {
                    throw new FitSettingsException("e0: " + e.getKey() + " is not an atomic number");
                }
                if (!Double.isFinite(e.getValue())) {
                    throw new FitSettingsException("e0: the value for " + Element.of(e.getKey()).symbol() + " is "
                            + e.getValue() + "; it must be a finite number (eV)");
                }
                copy.put(e.getKey(), e.getValue());
            }
            byZ = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * {@code e0=-0.79}: the same value (eV) for every species.
     *
     * @param value e0 (eV per atom)
     */
    record Uniform(double value) implements E0Settings {
        /** Validates: finite. */
        public Uniform {
            if (!Double.isFinite(value)) {
                throw new FitSettingsException("e0=" + value + " is not allowed; it must be a finite number (eV)");
            }
        }
    }

    /** {@code e0_method=average}: the mean over frames with an energy of E/N, the same for every species. */
    record Average() implements E0Settings {}

    /**
     * gap_fit's default ({@code e0_method=isolated}): e0(Z) is the energy of the frame holding a single atom of Z
     * with no neighbour (periodic images included) within the largest descriptor cutoff; every species needs one.
     */
    record Isolated() implements E0Settings {}
}
