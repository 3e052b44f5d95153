package org.soapstone.gp.sparse;

/**
 * The two random streams gap_fit seeds with {@code rnd_seed} ({@code system_set_random_seeds} in libAtoms'
 * {@code System.f95}) and draws its sparse points from: libAtoms' own generator ({@link LibAtomsRandom}:
 * {@code cur_points}, {@code uniform}) and the Fortran intrinsic {@code random_number} ({@link GfortranRandom}:
 * {@code random}). One instance serves the terms of a fit in order, as gap_fit's streams do. Not thread-safe.
 */
public final class GapFitRandom {
    private final LibAtomsRandom libAtoms;
    private final GfortranRandom gfortran;

    /** @param seed gap_fit's {@code rnd_seed}, 1 … 2³¹ − 2 */
    public GapFitRandom(long seed) {
        this.libAtoms = new LibAtomsRandom(seed);
        this.gfortran = new GfortranRandom(seed);
    }

    /** @return libAtoms' generator */
    public LibAtomsRandom libAtoms() {
        return libAtoms;
    }

    /** @return the Fortran intrinsic's generator */
    public GfortranRandom gfortran() {
        return gfortran;
    }
}
