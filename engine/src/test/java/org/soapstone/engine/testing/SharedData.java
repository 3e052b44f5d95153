package org.soapstone.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Third-party reference data, read where it lives: the {@code shared} directory beside the repository (the
 * {@code soapstone.shared} property that surefire sets, else {@code ../shared} of the repository root). It holds the
 * mlearn DFT data sets ({@code datasets/mlearn}, Zuo et al., J. Phys. Chem. A 124, 731 (2020)), the gap_fit models
 * with quip's predictions and the LAMMPS reference cells ({@code reference/}) and the peers' own test data
 * ({@code peer-tests/}); the repository keeps only data the project makes itself. A test that needs a file which is
 * absent is skipped, naming the file.
 */
public final class SharedData {
    private SharedData() {}

    /** @return the shared data directory (it may be absent) */
    public static Path root() {
        String shared = System.getProperty("soapstone.shared");
        if (shared != null) {
            return Path.of(shared).normalize();
        }
        return Path.of(System.getProperty("soapstone.root", "."), "..", "shared").normalize();
    }

    /**
     * @param relative a path below the shared directory, e.g. {@code "reference/si_sw_refs.extxyz"}
     * @return its path; the calling test is skipped (not failed) where it is absent
     */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), () -> "skipped: " + p + " is absent (third-party data is read from ../shared)");
        return p;
    }

    /** @return the folder of one of gap_fit's reference models, {@code reference/gap_fit/<name>} (si-soap, sic-2b-soap) */
    public static Path gapFit(String name) {
        return require("reference/gap_fit/" + name);
    }

    /** @return a file of the mlearn data sets, e.g. {@code mlearn("mlearn-Si-train.xyz")} */
    public static Path mlearn(String file) {
        return require("datasets/mlearn/" + file);
    }

    /** @return a LAMMPS reference file of {@code reference/}, e.g. {@code si_sw_refs.extxyz} */
    public static Path reference(String file) {
        return require("reference/" + file);
    }
}
