package org.soapstone.engine.md;

import org.soapstone.engine.structure.Structure;

/**
 * Kinetic energy, degrees of freedom, kinetic temperature and centre-of-mass motion of a structure's velocities.
 *
 * <p>Degrees of freedom: a run starts with zero total momentum ({@link MaxwellBoltzmann} removes it) and every
 * integrator here keeps it zero for a translation-invariant potential, so the kinetic energy lives in
 * N_f = 3N − 3 degrees of freedom and the kinetic temperature is T = 2 KE / (N_f k_B), as LAMMPS's
 * {@code compute temp} reports it (ASE's {@code get_temperature} divides by 3N instead). The same N_f is used by
 * the thermostats' targets and by {@link MaxwellBoltzmann}'s exact rescaling.
 */
public final class Kinetics {
    private Kinetics() {}

    /**
     * @param atoms the number of atoms, at least 2
     * @return N_f = 3N − 3, the degrees of freedom with the total momentum fixed
     */
    public static int degreesOfFreedom(int atoms) {
        if (atoms < 2) {
            throw new IllegalArgumentException("a kinetic temperature needs at least 2 atoms, got " + atoms);
        }
        return 3 * atoms - 3;
    }

    /** @return the kinetic energy ½ Σ m v² (eV) of the structure's velocities (Å/fs, masses amu); 0 if none */
    public static double kineticEnergy(Structure s) {
        double[] v = s.velocities();
        if (v == null) {
            return 0;
        }
        double[] m = s.masses();
        double twice = 0;
        for (int i = 0; i < m.length; i++) {
            double vx = v[3 * i];
            double vy = v[3 * i + 1];
            double vz = v[3 * i + 2];
            twice += m[i] * (vx * vx + vy * vy + vz * vz);
        }
        return 0.5 * twice / Units.ACCELERATION;
    }

    /**
     * @param kineticEnergy the kinetic energy (eV)
     * @param atoms the number of atoms, at least 2
     * @return the kinetic temperature 2 KE / ((3N − 3) k_B) (K)
     */
    public static double temperature(double kineticEnergy, int atoms) {
        return 2 * kineticEnergy / (degreesOfFreedom(atoms) * Units.BOLTZMANN);
    }

    /** Subtracts the centre-of-mass velocity (Å/fs) from every atom's velocity, making the total momentum zero. */
    public static void removeCentreOfMassVelocity(Structure s) {
        double[] v = s.velocities();
        double[] m = s.masses();
        double px = 0;
        double py = 0;
        double pz = 0;
        double total = 0;
        for (int i = 0; i < m.length; i++) {
            px += m[i] * v[3 * i];
            py += m[i] * v[3 * i + 1];
            pz += m[i] * v[3 * i + 2];
            total += m[i];
        }
        px /= total;
        py /= total;
        pz /= total;
        for (int i = 0; i < m.length; i++) {
            v[3 * i] -= px;
            v[3 * i + 1] -= py;
            v[3 * i + 2] -= pz;
        }
    }

    /** Multiplies every velocity by {@code factor}. */
    public static void scaleVelocities(Structure s, double factor) {
        double[] v = s.velocities();
        for (int k = 0; k < v.length; k++) {
            v[k] *= factor;
        }
    }
}
