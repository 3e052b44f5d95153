package org.soapstone.potentials.eam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.structure.Element;

/**
 * EAM functions as LAMMPS {@code pair_eam.cpp} holds them after {@code file2array} and {@code array2spline}:
 * embedding energies F(ρ), densities ρ(r) and r·φ(r) on common uniform grids, each converted to LAMMPS's local
 * cubic polynomials (slopes from a fourth-order finite difference, see {@link #spline}), so that evaluation gives
 * the same numbers as LAMMPS. Units: r in Å, F and φ in eV, ρ as tabulated. Immutable.
 *
 * <p>Read with {@link #funcfl}, {@link #setfl} or {@link #finnisSinclair}. Errors in a file throw
 * {@link org.soapstone.engine.io.LammpsFormatException} naming the file, line and field.
 */
public final class EamTables {
    /** Hartree·Bohr in eV·Å as LAMMPS's funcfl conversion writes it: r·φ = 27.2·0.529·Z_i(r)·Z_j(r). */
    static final double HARTREE_BOHR = 27.2 * 0.529;
    /** Values per grid point of a spline: three derivative coefficients then four value coefficients. */
    static final int STRIDE = 7;

    final String source;
    final EamFormat format;
    final List<Element> species;
    final int nrho, nr;
    final double drho, dr, rhomax, cutoff;
    /** F(ρ) spline per species. */
    final double[][] embedding;
    /** ρ(r) splines; density at an atom of species a from one of species b is densities[densityIndex[a·n+b]]. */
    final double[][] densities;
    final int[] densityIndex;
    /** r·φ(r) splines; pairs[pairIndex[a·n+b]]. */
    final double[][] pairs;
    final int[] pairIndex;

    private EamTables(String source, EamFormat format, List<Element> species, int nrho, double drho, int nr,
            double dr, double rhomax, double cutoff, double[][] frho, double[][] rhor, int[] densityIndex,
            double[][] z2r, int[] pairIndex) {
        this.source = source;
        this.format = format;
        this.species = List.copyOf(species);
        this.nrho = nrho;
        this.drho = drho;
        this.nr = nr;
        this.dr = dr;
        this.rhomax = rhomax;
        this.cutoff = cutoff;
        this.embedding = splines(frho, nrho, drho);
        this.densities = splines(rhor, nr, dr);
        this.densityIndex = densityIndex;
        this.pairs = splines(z2r, nr, dr);
        this.pairIndex = pairIndex;
    }

    /** @return the species, in the order of the file(s) */
    public List<Element> species() {
        return species;
    }

    /** @return the cutoff (Å) */
    public double cutoff() {
        return cutoff;
    }

    /** @return the format read */
    public EamFormat format() {
        return format;
    }

    /** @return the file name(s) read, for messages */
    public String source() {
        return source;
    }

    /**
     * Reads DYNAMO funcfl files (LAMMPS {@code pair_style eam}, one {@code pair_coeff i i file} per element) and
     * puts them on one grid as LAMMPS does: spacing the largest of the files', extent the largest (minus one
     * point, as LAMMPS's rounding gives), values by four-point Lagrange interpolation, and the unlike pair
     * r·φ_ij = 27.2·0.529·Z_i(r)·Z_j(r) from the effective charges Z(r).
     *
     * @param files one file per element, each element once
     * @throws java.io.IOException if a file cannot be read
     */
    public static EamTables funcfl(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no funcfl file given");
        }
        int count = files.size();
        List<Element> species = new ArrayList<>();
        int[] fnrho = new int[count], fnr = new int[count];
        double[] fdrho = new double[count], fdr = new double[count];
        double[][] ffrho = new double[count][], fzr = new double[count][], frhor = new double[count][];
        double cutoff = 0, dr = 0, drho = 0, rmax = 0, rhomax = 0;
        for (int f = 0; f < count; f++) {
            EamTokens in = new EamTokens(files.get(f));
            in.skip(1, "comment line");
            String[] head = in.line("atomic number and mass");
            species.add(element(in, in.integer(head, 0, "atomic number")));
            in.real(head, 1, "mass");
            String[] grid = in.line("Nrho drho Nr dr cutoff");
            fnrho[f] = positive(in, in.integer(grid, 0, "Nrho"), "Nrho");
            fdrho[f] = positive(in, in.real(grid, 1, "drho"), "drho");
            fnr[f] = positive(in, in.integer(grid, 2, "Nr"), "Nr");
            fdr[f] = positive(in, in.real(grid, 3, "dr"), "dr");
            double cut = positive(in, in.real(grid, 4, "cutoff"), "cutoff");
            ffrho[f] = in.table(fnrho[f], "F(rho)");
            fzr[f] = in.table(fnr[f], "Z(r)");
            frhor[f] = in.table(fnr[f], "rho(r)");
            cutoff = Math.max(cutoff, cut);
            dr = Math.max(dr, fdr[f]);
            drho = Math.max(drho, fdrho[f]);
            rmax = Math.max(rmax, (fnr[f] - 1) * fdr[f]);
            rhomax = Math.max(rhomax, (fnrho[f] - 1) * fdrho[f]);
        }
        int nr = (int) (rmax / dr + 0.5);
        int nrho = (int) (rhomax / drho + 0.5);
        double[][] frho = new double[count][];
        double[][] rhor = new double[count][];
        for (int f = 0; f < count; f++) {
            frho[f] = regrid(ffrho[f], fnrho[f], fdrho[f], nrho, drho);
            rhor[f] = regrid(frhor[f], fnr[f], fdr[f], nr, dr);
        }
        double[][] zr = new double[count][];
        for (int f = 0; f < count; f++) {
            zr[f] = regrid(fzr[f], fnr[f], fdr[f], nr, dr);
        }
        double[][] z2r = new double[count * (count + 1) / 2][];
        int[] pairIndex = symmetricPairIndex(count);
        for (int i = 0; i < count; i++) {
            for (int j = 0; j <= i; j++) {
                double[] z2 = new double[nr + 1];
                for (int m = 1; m <= nr; m++) {
                    z2[m] = HARTREE_BOHR * zr[i][m] * zr[j][m];
                }
                z2r[pairIndex[i * count + j]] = z2;
            }
        }
        int[] densityIndex = new int[count * count];
        for (int a = 0; a < count; a++) {
            for (int b = 0; b < count; b++) {
                densityIndex[a * count + b] = b;
            }
        }
        String source = String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList());
        return new EamTables(source, EamFormat.FUNCFL, species, nrho, drho, nr, dr, (nrho - 1) * drho, cutoff,
                frho, rhor, densityIndex, z2r, pairIndex);
    }

    /**
     * Reads a DYNAMO setfl file (LAMMPS {@code pair_style eam/alloy}).
     *
     * @throws IOException if the file cannot be read
     */
    public static EamTables setfl(Path file) throws IOException {
        return readSetfl(file, EamFormat.SETFL);
    }

    /**
     * Reads a Finnis–Sinclair setfl file (LAMMPS {@code pair_style eam/fs}): per element, F(ρ) then one ρ(r) per
     * element; the density at an atom of species a due to a neighbour of species b is the b block's a-th function,
     * as LAMMPS's {@code type2rhor} gives.
     *
     * @throws IOException if the file cannot be read
     */
    public static EamTables finnisSinclair(Path file) throws IOException {
        return readSetfl(file, EamFormat.FINNIS_SINCLAIR);
    }

    private static EamTables readSetfl(Path file, EamFormat format) throws IOException {
        EamTokens in = new EamTokens(file);
        in.skip(3, "comment line");
        String[] names = in.line("Nelements Element1 Element2 ...");
        int count = in.integer(names, 0, "Nelements");
        if (count < 1) {
            throw in.error("Nelements", "must be at least 1, got " + count);
        }
        List<Element> species = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            String symbol = in.field(names, 1 + e, "element " + (e + 1));
            if (!Element.isSymbol(symbol)) {
                throw in.error("element " + (e + 1) + " (field " + (e + 2) + ")", "unknown element '" + symbol + "'");
            }
            if (species.contains(Element.of(symbol))) {
                throw in.error("element " + (e + 1) + " (field " + (e + 2) + ")", symbol + " is listed twice");
            }
            species.add(Element.of(symbol));
        }
        String[] grid = in.line("Nrho drho Nr dr cutoff");
        int nrho = positive(in, in.integer(grid, 0, "Nrho"), "Nrho");
        double drho = positive(in, in.real(grid, 1, "drho"), "drho");
        int nr = positive(in, in.integer(grid, 2, "Nr"), "Nr");
        double dr = positive(in, in.real(grid, 3, "dr"), "dr");
        double cutoff = positive(in, in.real(grid, 4, "cutoff"), "cutoff");
        boolean fs = format == EamFormat.FINNIS_SINCLAIR;
        double[][] frho = new double[count][];
        double[][] rhor = new double[fs ? count * count : count][];
        for (int e = 0; e < count; e++) {
            String symbol = species.get(e).symbol();
            String[] head = in.line("atomic number, mass, lattice constant, lattice of " + symbol);
            in.integer(head, 0, "atomic number of " + symbol);
            in.real(head, 1, "mass of " + symbol);
            frho[e] = in.table(nrho, "F(rho) of " + symbol);
            if (fs) {
                for (int b = 0; b < count; b++) {
                    rhor[e * count + b] = in.table(nr, "rho(r) of " + symbol + "-" + species.get(b).symbol());
                }
            } else {
                rhor[e] = in.table(nr, "rho(r) of " + symbol);
            }
        }
        double[][] z2r = new double[count * (count + 1) / 2][];
        int[] pairIndex = symmetricPairIndex(count);
        for (int i = 0; i < count; i++) {
            for (int j = 0; j <= i; j++) {
                z2r[pairIndex[i * count + j]] =
                        in.table(nr, "r*phi(r) of " + species.get(i).symbol() + "-" + species.get(j).symbol());
            }
        }
        int[] densityIndex = new int[count * count];
        for (int a = 0; a < count; a++) {
            for (int b = 0; b < count; b++) {
                densityIndex[a * count + b] = fs ? b * count + a : b;
            }
        }
        return new EamTables(file.getFileName().toString(), format, species, nrho, drho, nr, dr, (nrho - 1) * drho,
                cutoff, frho, rhor, densityIndex, z2r, pairIndex);
    }

    private static Element element(EamTokens in, int z) {
        if (z < 1 || z > 118) {
            throw in.error("atomic number", "no element with atomic number " + z);
        }
        return Element.of(z);
    }

    private static int positive(EamTokens in, int value, String what) {
        if (value < 5) {
            throw in.error(what, "must be at least 5 (LAMMPS interpolates over 4 points), got " + value);
        }
        return value;
    }

    private static double positive(EamTokens in, double value, String what) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw in.error(what, "must be > 0, got " + value);
        }
        return value;
    }

    /**
     * LAMMPS's {@code file2array} step for funcfl: the values at (m−1)·delta, m = 1..n, of a table with
     * {@code fileN} points spaced {@code fileDelta}, by four-point Lagrange interpolation (1-based arrays).
     */
    private static double[] regrid(double[] f, int fileN, double fileDelta, int n, double delta) {
        double sixth = 1.0 / 6.0;
        double[] out = new double[n + 1];
        for (int m = 1; m <= n; m++) {
            double r = (m - 1) * delta;
            double p = r / fileDelta + 1.0;
            int k = (int) p;
            k = Math.min(k, fileN - 2);
            k = Math.max(k, 2);
            p -= k;
            p = Math.min(p, 2.0);
            double cof1 = -sixth * p * (p - 1.0) * (p - 2.0);
            double cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
            double cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
            double cof4 = sixth * p * (p * p - 1.0);
            out[m] = cof1 * f[k - 1] + cof2 * f[k] + cof3 * f[k + 1] + cof4 * f[k + 2];
        }
        return out;
    }

    private static double[][] splines(double[][] tables, int n, double delta) {
        double[][] out = new double[tables.length][];
        for (int t = 0; t < tables.length; t++) {
            out[t] = spline(tables[t], n, delta);
        }
        return out;
    }

    /**
     * LAMMPS's {@code interpolate}: for grid points m = 1..n (1-based f), slopes by a fourth-order central
     * difference (second-order next to the ends), then on each interval the cubic with those end values and slopes,
     * in the variable p ∈ [0, 1]. Layout per point m at {@code 7m}: derivative coefficients (c0, c1, c2) of
     * (c0·p + c1)·p + c2 in units of 1/delta, then value coefficients (c3, c4, c5, c6) of ((c3·p + c4)·p + c5)·p + c6.
     */
    static double[] spline(double[] f, int n, double delta) {
        double[] s = new double[(n + 1) * STRIDE];
        for (int m = 1; m <= n; m++) {
            s[m * STRIDE + 6] = f[m];
        }
        s[STRIDE + 5] = s[2 * STRIDE + 6] - s[STRIDE + 6];
        s[2 * STRIDE + 5] = 0.5 * (s[3 * STRIDE + 6] - s[STRIDE + 6]);
        s[(n - 1) * STRIDE + 5] = 0.5 * (s[n * STRIDE + 6] - s[(n - 2) * STRIDE + 6]);
        s[n * STRIDE + 5] = s[n * STRIDE + 6] - s[(n - 1) * STRIDE + 6];
        for (int m = 3; m <= n - 2; m++) {
            s[m * STRIDE + 5] = ((s[(m - 2) * STRIDE + 6] - s[(m + 2) * STRIDE + 6])
                    + 8.0 * (s[(m + 1) * STRIDE + 6] - s[(m - 1) * STRIDE + 6])) / 12.0;
        }
        for (int m = 1; m <= n - 1; m++) {
            int o = m * STRIDE;
            s[o + 4] = 3.0 * (s[o + STRIDE + 6] - s[o + 6]) - 2.0 * s[o + 5] - s[o + STRIDE + 5];
            s[o + 3] = s[o + 5] + s[o + STRIDE + 5] - 2.0 * (s[o + STRIDE + 6] - s[o + 6]);
        }
        s[n * STRIDE + 4] = 0.0;
        s[n * STRIDE + 3] = 0.0;
        for (int m = 1; m <= n; m++) {
            int o = m * STRIDE;
            s[o + 2] = s[o + 5] / delta;
            s[o + 1] = 2.0 * s[o + 4] / delta;
            s[o] = 3.0 * s[o + 3] / delta;
        }
        return s;
    }

    /**
     * @return for each ordered element pair (i, j), at i · count + j, the index of the unordered pair's r·φ(r)
     *     table in the file's order: (0,0), (1,0), (1,1), (2,0), …
     */
    private static int[] symmetricPairIndex(int count) {
        int[] pairIndex = new int[count * count];
        int k = 0;
        for (int i = 0; i < count; i++) {
            for (int j = 0; j <= i; j++) {
                pairIndex[i * count + j] = k;
                pairIndex[j * count + i] = k;
                k++;
            }
        }
        return pairIndex;
    }
}
