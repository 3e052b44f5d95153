package org.soapstone.engine.md;

/**
 * Watches the total energy E_pot + E_kin (eV) of an NVE run every {@link #interval()} steps and reports its drift:
 * the least-squares slope of E against time, and the largest deviation from the first value. A symplectic
 * integrator shows bounded fluctuations and no systematic slope; a slope means forces inconsistent with the
 * energy, or a time step too long.
 */
public final class EnergyDrift implements MdObserver {
    private final int interval;
    private double sumT;
    private double sumE;
    private double sumTT;
    private double sumTE;
    private double first;
    private double maxDeviation;
    private long count;

    /** @param interval steps between samples, ≥ 1 */
    public EnergyDrift(int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("interval must be ≥ 1, got " + interval);
        }
        this.interval = interval;
    }

    @Override
    public int interval() {
        return interval;
    }

    @Override
    public Action observe(MdSystem system) {
        double e = system.results().energy + system.kineticEnergy();
        double t = system.time();
        if (count == 0) {
            first = e;
        }
        maxDeviation = Math.max(maxDeviation, Math.abs(e - first));
        sumT += t;
        sumE += e;
        sumTT += t * t;
        sumTE += t * e;
        count++;
        return Action.CONTINUE;
    }

    /** @return the number of samples taken */
    public long samples() {
        return count;
    }

    /** @return the least-squares slope of the total energy against time (eV/fs); NaN with fewer than 2 samples */
    public double slope() {
        double d = count * sumTT - sumT * sumT;
        return count < 2 || d == 0 ? Double.NaN : (count * sumTE - sumT * sumE) / d;
    }

    /** @return the largest |E(t) − E(0)| seen (eV) */
    public double maxDeviation() {
        return maxDeviation;
    }
}
