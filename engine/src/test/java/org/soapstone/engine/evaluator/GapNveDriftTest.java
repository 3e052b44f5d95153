package org.soapstone.engine.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.md.EnergyDrift;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.VelocityVerlet;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/**
 * NVE energy conservation of GAP MD through the evaluator: the gap_fit Si SOAP model (test-data/gap_fit/si-soap)
 * on 216-atom liquid-like Si (diamond rattled by 0.25 Å, 2500 K), velocity Verlet at 1 fs with neighbour-list
 * rebuilds. A short CI version of the 10 ps run: any force that is not exactly −∂E/∂r (a missed pair at a
 * list rebuild, a cutoff-function error, a wrong gradient) shows as a drift or a jump far above the bound.
 */
class GapNveDriftTest {
    private static final int STEPS = 250;

    @Test
    void totalEnergyIsConservedOnLiquidLikeSilicon() throws Exception {
        GapModel model = GapModel.read(Path.of(System.getProperty("soapstone.root"), "test-data", "gap_fit",
                "si-soap", "gp.xml"));
        Structure s = FiniteDifferences.rattled(Crystal.diamond(14, 5.431, 3), 0.25, 7);
        assertEquals(216, s.size());
        MaxwellBoltzmann.assign(s, 2500, 11, MaxwellBoltzmann.Scaling.EXACT);
        try (WorkerPool pool = new WorkerPool(2);
                ForceEvaluator ev = new ForceEvaluator(model, s, pool, EvaluatorOptions.meanOnly())) {
            MdSystem system = new MdSystem(s, ev);
            EnergyDrift drift = new EnergyDrift(1);
            MolecularDynamics md = new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(drift));
            assertEquals(STEPS, md.run(STEPS).steps());
            double slope = drift.slope() * 1000 / s.size();
            double jump = drift.maxDeviation() / s.size();
            System.out.printf("GAP NVE, 216 Si, %d fs: drift %.3e eV/atom/ps, max |ΔE| %.3e eV/atom, T %.0f K%n",
                    STEPS, slope, jump, system.temperature());
            assertTrue(system.temperature() > 500, "the run stayed hot: " + system.temperature() + " K");
            assertTrue(Math.abs(slope) < 1e-3, "drift " + slope + " eV/atom/ps over " + STEPS + " fs");
            assertTrue(jump < 1e-3, "max |ΔE| " + jump + " eV/atom");
        }
    }
}
