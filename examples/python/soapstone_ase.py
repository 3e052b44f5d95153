"""Soapstone as an ASE calculator, through the i-PI socket protocol. Needs nothing but ASE.

    from soapstone_ase import Soapstone
    atoms.calc = Soapstone(potential="sw:Si.sw")     # a classical potential (LAMMPS file), or
    atoms.calc = Soapstone(model="si.gap")           # a GAP model
    ...                                               # any ASE MD, optimiser, EOS ...
    atoms.calc.close()                                # or: with Soapstone(...) as calc:

At the first calculation this starts `soapstone serve` as a subprocess, connected to ASE's
SocketIOCalculator over the UNIX socket /tmp/ipi_NAME; it stops when the calculator is closed. Energies are
in eV, forces in eV/Å, stress in eV/Å³, exactly as Soapstone computes them (the socket carries float64 in
Hartree and Bohr, with ASE's own constants). The atoms may change positions and cell (NPT), not their number
or species. The command is command=, else the environment variable SOAPSTONE, else `soapstone` on the PATH, else
the launcher of the repository this file sits in (../../soapstone), which finds its JDK 25 itself.
"""
import os
import shlex
import shutil
import subprocess
import uuid

from ase.calculators.socketio import SocketIOCalculator


def find_launcher():
    """Return `soapstone` on the PATH, else the repository's launcher beside this example; raise if neither exists."""
    on_path = shutil.which("soapstone")
    if on_path:
        return shlex.quote(on_path)
    here = os.path.dirname(os.path.abspath(__file__))
    launcher = os.path.normpath(os.path.join(here, "..", "..", "soapstone"))
    if os.access(launcher, os.X_OK):
        return shlex.quote(launcher)
    raise FileNotFoundError("cannot find the soapstone command: it is not on the PATH and %s does not exist; put "
                            "it on the PATH, set SOAPSTONE, or pass command=" % launcher)


def Soapstone(model=None, potential=None, command=None, threads=None, timeout=120.0, name=None):
    """Return an ASE calculator backed by `soapstone serve`.

    model: a GAP model file; or potential: "KIND:FILE" (or a list of them, summed), as `soapstone --potential`.
    command: how to run Soapstone (a string or a list); threads: its worker threads (default: all cores);
    timeout: seconds ASE and Soapstone wait for each other; name: the socket name (default: unique).
    """
    if (model is None) == (potential is None):
        raise ValueError("give exactly one of model= or potential=")
    if command is None:
        command = os.environ.get("SOAPSTONE") or find_launcher()
    command = shlex.split(command) if isinstance(command, str) else list(command)
    potentials = [potential] if isinstance(potential, str) else list(potential or [])
    source = ["--model", str(model)] if model is not None else [a for p in potentials for a in ("--potential", p)]
    name = name or "soapstone-%d-%s" % (os.getpid(), uuid.uuid4().hex[:8])

    def launch(atoms, properties=None, port=None, unixsocket=None):
        symbols = atoms.get_chemical_symbols()
        species = symbols[0] if len(set(symbols)) == 1 else ",".join(symbols)
        args = command + ["serve", "--socket", "unix:" + unixsocket, "--species", species,
                          "--timeout", str(timeout)] + source
        if threads:
            args += ["--threads", str(threads)]
        return subprocess.Popen(args)

    return SocketIOCalculator(unixsocket=name, timeout=timeout, launch_client=launch)
