// NVE molecular dynamics of diamond silicon with a GAP model or a classical potential, from plain Java.
//
// What it does: builds a 2×2×2 diamond Si cell (64 atoms, a = 5.431 Å), loads a gap_fit model (--model GP.xml)
// or a LAMMPS-style potential (--potential sw:Si.sw), draws Maxwell–Boltzmann velocities at --temperature K,
// runs velocity Verlet (1 fs) for --steps steps, and a custom observer prints every --every steps: step, time (fs),
// potential, kinetic and total energy (eV), temperature (K), and for a GAP the largest local-energy σ (eV).
// How long: about 3 s with Stillinger–Weber, about 10 s with ../shared/reference/gap_fit/si-soap/gp.xml for 20 steps
// (mostly compiling this file and starting the JVM).
//
//   ./soapstone java examples/java/NveSilicon.java --model ../shared/reference/gap_fit/si-soap/gp.xml
//   ./soapstone java examples/java/NveSilicon.java --potential sw:test-data/Si.sw --steps 100
//
// (the launcher builds the jar and runs JDK 25's java with it on the class path and the Vector API module, whatever
// the default java is: the same as JDK 25's `java --add-modules jdk.incubator.vector -cp cli/target/soapstone.jar
// examples/java/NveSilicon.java ...`)

import java.nio.file.Path;
import java.util.List;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.gap.GapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.VelocityVerlet;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialSpec;

public class NveSilicon {
    public static void main(String[] args) throws Exception {
        String model = null;
        String potential = null;
        long steps = 20;
        int every = 5;
        double temperature = 600;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> model = args[i + 1];
                case "--potential" -> potential = args[i + 1];
                case "--steps" -> steps = Long.parseLong(args[i + 1]);
                case "--every" -> every = Integer.parseInt(args[i + 1]);
                case "--temperature" -> temperature = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if ((model == null) == (potential == null)) {
            throw new IllegalArgumentException("give --model GP.xml or --potential KIND:FILE");
        }
        Calculator calc = model != null ? new GapCalculator(GapModel.readQuip(Path.of(model)))
                : PotentialSpec.parse(potential);

        Structure si = Crystal.diamond(14, 5.431, 2);
        MaxwellBoltzmann.assign(si, temperature, 2026, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(si, calc);
        int interval = every;
        MdObserver printer = new MdObserver() {
            @Override
            public int interval() {
                return interval;
            }

            @Override
            public Action observe(MdSystem sys) {
                double epot = sys.results().energy;
                double ekin = sys.kineticEnergy();
                String sigma = "";
                if (sys.calculator() instanceof PredictiveVariance pv) {
                    double max = 0;
                    for (double v : pv.localVariance(sys.structure())) {
                        max = Math.max(max, v);
                    }
                    sigma = String.format(" %.6e", Math.sqrt(max));
                }
                System.out.printf("%6d %8.1f %.10f %.10f %.10f %8.2f%s%n", sys.step(), sys.time(), epot, ekin,
                        epot + ekin, sys.temperature(), sigma);
                return Action.CONTINUE;
            }
        };
        System.out.println("# step time_fs epot_eV ekin_eV etot_eV temperature_K"
                + (calc instanceof PredictiveVariance ? " max_sigma_eV" : ""));
        new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(printer)).run(steps);
    }
}
