package org.soapstone.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.potentials.PotentialSpec;
import picocli.CommandLine.Option;

/** The {@code --potential} option: one or more classical potentials, summed. */
public final class PotentialOptions {
    @Option(names = "--potential", required = true, paramLabel = "KIND:ARGS",
            description = {"A classical potential: sw:FILE, tersoff:FILE (LAMMPS .sw/.tersoff files), eam:FILE[,FILE…]"
                + " (funcfl), eam/alloy:FILE (setfl), eam/fs:FILE, lj:species=Ar,epsilon=EV,sigma=Å,cutoff=Å,"
                + " zbl:inner=Å,outer=Å; each may add skin=Å (Verlet skin). Repeat to sum potentials."})
    List<String> specs = new ArrayList<>();

    /** @return the calculator the options name (their sum if several) */
    Calculator calculator() throws IOException {
        List<Calculator> calcs = new ArrayList<>();
        for (String s : specs) {
            calcs.add(PotentialSpec.parse(s));
        }
        return calcs.size() == 1 ? calcs.get(0) : new SumCalculator(calcs);
    }
}
