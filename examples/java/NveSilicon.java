// NVE molecular dynamics of diamond silicon with a GAP model or a classical potential, from plain Java.
//
// What it does: builds a 2×2×2 diamond Si cell (64 atoms, a = 5.431 Å), loads a model (--model si.gap or gp.xml)
// or a LAMMPS-style potential (--potential sw:Si.sw), draws Maxwell–Boltzmann velocities at --temperature K,
// runs velocity Verlet (1 fs) for --steps steps, and every --every steps prints: step, time (fs), potential,
// kinetic and total energy (eV), temperature (K), and for a GAP the largest local-energy σ (eV).
// How long: about 3 s with Stillinger–Weber, about 10 s with a gap_fit model for 20 steps (mostly compiling this
// file and starting the JVM).
//
//   ./soapstone java examples/java/NveSilicon.java --model ../shared/reference/gap_fit/si-soap/gp.xml
//   ./soapstone java examples/java/NveSilicon.java --potential sw:test-data/Si.sw --steps 100
//
// (the launcher builds the jar and runs JDK 25's java with it on the class path and the Vector API module, whatever
// the default java is: the same as JDK 25's `java --add-modules jdk.incubator.vector -cp cli/target/soapstone.jar
// examples/java/NveSilicon.java ...`)

import java.util.List;
import org.soapstone.Soapstone;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.VelocityVerlet;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

public class NveSilicon {
    public static void main(String[] args) throws Exception {
        String source = null;
        long steps = 20;
        int every = 5;
        double temperature = 600;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--model", "--potential" -> source = args[i + 1];
                case "--steps" -> steps = Long.parseLong(args[i + 1]);
                case "--every" -> every = Integer.parseInt(args[i + 1]);
                case "--temperature" -> temperature = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (source == null) {
            throw new IllegalArgumentException("give --model MODEL or --potential KIND:FILE");
        }
        Calculator calc = Soapstone.load(source);

        Structure si = Crystal.diamond(14, 5.431, 2);
        MaxwellBoltzmann.assign(si, temperature, 2026, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(si, calc);
        MdObserver printer = MdObserver.every(every, sys -> {
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
        });
        System.out.println("# step time_fs epot_eV ekin_eV etot_eV temperature_K"
                + (calc instanceof PredictiveVariance ? " max_sigma_eV" : ""));
        new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(printer)).run(steps);
    }
}
