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
 * time (all threads), for the loop-time report; also timed over its second half alone, which leaves out the JIT
 * compilation of the first steps (several seconds for a GAP: the steady rate a long run sees).
 *
 * @param outcome how the run ended
 * @param seconds wall time of the loop (s)
 * @param cpuSeconds process CPU time of the loop (s)
 * @param secondHalfSteps steps in the second half (0 if the run stopped before its half-way step)
 * @param secondHalfSeconds wall time of the second half (s)
 * @param secondHalfCpuSeconds process CPU time of the second half (s)
 */
record TimedDynamics(MolecularDynamics.Outcome outcome, double seconds, double cpuSeconds, long secondHalfSteps,
        double secondHalfSeconds, double secondHalfCpuSeconds) {

    /** Runs {@code steps} steps with the observers and one that moves {@code progress} every 10 steps. */
    static TimedDynamics run(Integrator integrator, List<MdObserver> observers, long steps, Progress progress) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long half = steps / 2;
        long startStep = integrator.system().step();
        long[] halfMark = {-1, 0, 0};
        List<MdObserver> all = new ArrayList<>(observers);
        all.add(new MdObserver() {
            @Override
            public int interval() {
                return 1;
            }

            @Override
            public Action observe(MdSystem sys) {
                long done = sys.step() - startStep;
                if (done == half && halfMark[0] < 0) {
                    halfMark[0] = done;
                    halfMark[1] = System.nanoTime();
                    halfMark[2] = os.getProcessCpuTime();
                }
                if (done % 10 == 0) {
                    progress.update(done);
                }
                return Action.CONTINUE;
            }
        });
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        MolecularDynamics.Outcome outcome = new MolecularDynamics(integrator, all).run(steps);
        long end = System.nanoTime();
        long cpuEnd = os.getProcessCpuTime();
        progress.update(outcome.steps());
        long secondHalf = halfMark[0] < 0 || half == 0 ? 0 : outcome.steps() - halfMark[0];
        return new TimedDynamics(outcome, (end - start) * 1e-9, (cpuEnd - cpuStart) * 1e-9, secondHalf,
                secondHalf == 0 ? 0 : (end - halfMark[1]) * 1e-9, secondHalf == 0 ? 0 : (cpuEnd - halfMark[2]) * 1e-9);
    }
}
