"""NVE molecular dynamics in ASE with Soapstone as the calculator.

What it does: builds 64-atom diamond silicon, draws Maxwell-Boltzmann velocities at --temperature K (seeded),
runs ASE's VelocityVerlet for --steps steps of 1 fs with `Soapstone(potential=...)` or `Soapstone(model=...)`
from soapstone_ase.py, prints step, potential, kinetic and total energy (eV), and with --output writes every
frame ASE saw (positions Å, cell, and the energy eV, forces eV/Å, stress eV/Å³ ASE received) as extended XYZ at
full float64 precision.
How long: about 5 s for 20 steps with Stillinger-Weber (most of it starting the JVM); a GAP model costs about
0.2 ms per atom and step. Soapstone is run by soapstone_ase.py: $SOAPSTONE, else `soapstone` on the PATH, else this
repository's launcher (which finds JDK 25 whatever the default java is).

    /usr/bin/python3 examples/python/ase_md.py --potential sw:test-data/Si.sw --steps 20
    /usr/bin/python3 examples/python/ase_md.py --model ../shared/reference/gap_fit/si-soap/gp.xml --steps 20
"""
import argparse

import numpy as np
from ase import units
from ase.build import bulk
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution, Stationary
from ase.md.verlet import VelocityVerlet

from soapstone_ase import Soapstone


def write_frame(f, atoms):
    """Extended XYZ with repr() floats, so the numbers round-trip exactly (ASE's writer keeps 8 decimals)."""
    energy = atoms.get_potential_energy()
    forces = atoms.get_forces()
    stress = atoms.get_stress(voigt=False)
    lattice = " ".join(repr(float(x)) for x in atoms.cell.array.ravel())
    f.write("%d\n" % len(atoms))
    f.write('Lattice="%s" Properties=species:S:1:pos:R:3:forces:R:3 energy=%r stress="%s" pbc="T T T"\n'
            % (lattice, float(energy), " ".join(repr(float(x)) for x in stress.ravel())))
    for s, r, g in zip(atoms.get_chemical_symbols(), atoms.positions, forces):
        f.write("%s %s\n" % (s, " ".join(repr(float(x)) for x in list(r) + list(g))))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--potential", help="KIND:FILE, e.g. sw:Si.sw")
    p.add_argument("--model", help="a GAP model file")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--temperature", type=float, default=1000.0, help="K")
    p.add_argument("--output", help="extended XYZ of every frame")
    p.add_argument("--soapstone", help="the command that runs Soapstone (default: $SOAPSTONE, else soapstone on the "
                   "PATH, else this repository's launcher)")
    a = p.parse_args()

    atoms = bulk("Si", "diamond", a=5.431, cubic=True) * (2, 2, 2)
    MaxwellBoltzmannDistribution(atoms, temperature_K=a.temperature, rng=np.random.RandomState(42))
    Stationary(atoms)
    out = open(a.output, "w") if a.output else None
    with Soapstone(model=a.model, potential=a.potential, command=a.soapstone, threads=1) as calc:
        atoms.calc = calc
        dyn = VelocityVerlet(atoms, timestep=1.0 * units.fs)

        def report():
            epot = atoms.get_potential_energy()
            ekin = atoms.get_kinetic_energy()
            print("%5d %.10f %.10f %.10f" % (dyn.nsteps, epot, ekin, epot + ekin))
            if out:
                write_frame(out, atoms)

        dyn.attach(report, interval=1)
        dyn.run(a.steps)
    if out:
        out.close()


if __name__ == "__main__":
    main()
