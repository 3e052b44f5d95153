// Quick evaluation from JShell: Stillinger–Weber silicon on the LAMMPS reference cells of the shared reference data (../shared/reference),
// compared with the energies and forces LAMMPS wrote into that file.
//
// What it does: reads ../shared/reference/si_sw_refs.extxyz, evaluates test-data/Si.sw on each frame, prints per frame the
// atom count, Soapstone's energy (eV), LAMMPS's energy (eV) and the largest force difference (eV/Å).
// How long: about 5 s (JShell start-up). Run from the repository root:
//
//   ./soapstone jshell examples/jshell/quick-eval.jsh
//
// (the launcher builds the jar and runs JDK 25's jshell with it on the class path, whatever the default java is:
// the same as JDK 25's `jshell --class-path cli/target/soapstone.jar examples/jshell/quick-eval.jsh`)

import java.nio.file.Path;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialSpec;

Calculator sw = PotentialSpec.parse("sw:test-data/Si.sw");
System.out.println("# atoms energy_eV lammps_energy_eV max_force_difference_eV/A");
for (Structure s : ExtXyz.read(Path.of("../shared/reference/si_sw_refs.extxyz"))) {
    CalculationResults r = sw.calculate(s);
    double[] ref = s.properties().get("forces").reals();
    double worst = 0;
    for (int k = 0; k < ref.length; k++) {
        worst = Math.max(worst, Math.abs(ref[k] - r.forces[k]));
    }
    System.out.printf("%d %.12f %.12f %.3e%n", s.size(), r.energy, s.infoReal("energy"), worst);
}
/exit
