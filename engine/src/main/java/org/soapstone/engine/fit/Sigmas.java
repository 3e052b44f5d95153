package org.soapstone.engine.fit;

/**
 * gap_fit's kernel regularisation, the expected errors σ of the data ({@code default_sigma={E F V H}}, and each
 * config type's entry of {@code config_type_sigma}). In the sparse GP each observation enters with variance σ²
 * (Bartók &amp; Csányi, Int. J. Quantum Chem. 115, 1051 (2015), eq. 12: Λ = diag(σ²)). With
 * {@code sigma_per_atom=T} (gap_fit's default) the energy and virial values are per atom and a frame of N atoms gets
 * σ·√N; force and Hessian values are always per component.
 *
 * @param energy σ of energies (eV, per atom if {@code sigma_per_atom})
 * @param force σ of force components (eV/Å)
 * @param virial σ of virial components (eV, per atom if {@code sigma_per_atom})
 * @param hessian σ of Hessian eigenvalues (eV/Å²); Soapstone does not fit Hessians, the value is kept as given
 */
public record Sigmas(double energy, double force, double virial, double hessian) {

    /** Validates: every σ finite and ≥ 0 (gap_fit refuses a zero σ only for data a frame actually has). */
    public Sigmas {
        check("energy", energy);
        check("force", force);
        check("virial", virial);
        check("hessian", hessian);
    }

    /**
     * Reads four σ written as gap_fit writes {@code default_sigma}: "E F V H", with or without braces.
     *
     * @param where the option or field named in an error
     * @throws FitSettingsException naming {@code where} unless the text is four numbers ≥ 0
     */
    public static Sigmas parse(String text, String where) {
        String[] f = text.replace("{", " ").replace("}", " ").strip().split("\\s+");
        if (f.length != 4) {
            throw new FitSettingsException(where + " needs 4 numbers \"E F V H\", got '" + text + "'");
        }
        try {
            return new Sigmas(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]));
        } catch (NumberFormatException e) {
            throw new FitSettingsException(where + ": '" + text + "' is not 4 numbers");
        } catch (FitSettingsException e) {
            throw new FitSettingsException(where + ": " + e.getMessage());
        }
    }

    /** @return "E F V H", every digit kept: {@link #parse} reads it back exactly */
    public String text() {
        return String.format(java.util.Locale.ROOT, "%.17g %.17g %.17g %.17g", energy, force, virial, hessian);
    }

    private static void check(String what, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new FitSettingsException("the " + what + " sigma " + value + " is not allowed; it must be a finite"
                    + " number ≥ 0");
        }
    }
}
