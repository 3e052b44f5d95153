package org.soapstone.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.md.Integrator;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;

/**
 * An MD run of {@code md} or {@code learn} with its progress line, timed by the wall clock and by the process's CPU
 * time (all threads), for the loop-time report.
 *
 * @param outcome how the run ended
 * @param seconds wall time of the loop (s)
 * @param cpuSeconds process CPU time of the loop (s)
 */
record TimedDynamics(MolecularDynamics.Outcome outcome, double seconds, double cpuSeconds) {

    /** Runs {@code steps} steps with the observers and one that moves {@code progress} every 10 steps. */
    static TimedDynamics run(Integrator integrator, List<MdObserver> observers, long steps, Progress progress) {
        List<MdObserver> all = new ArrayList<>(observers);
        all.add(new MdObserver() {
            @Override
            public int interval() {
                return 10;
            }

            @Override
            public Action observe(MdSystem sys) {
                progress.update(sys.step());
                return Action.CONTINUE;
            }
        });
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        MolecularDynamics.Outcome outcome = new MolecularDynamics(integrator, all).run(steps);
        double seconds = (System.nanoTime() - start) * 1e-9;
        double cpu = (os.getProcessCpuTime() - cpuStart) * 1e-9;
        progress.update(outcome.steps());
        return new TimedDynamics(outcome, seconds, cpu);
    }
}
