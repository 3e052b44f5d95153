package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.accuracy.PredictedSigma;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** An option with an optional value takes the next argument only when it is one of its values. */
class OptionalValueTest {
    private static EvalCommand eval(String... args) {
        EvalCommand c = new EvalCommand();
        String[] withModel = new String[args.length + 2];
        withModel[0] = "--model";
        withModel[1] = "m.gap";
        System.arraycopy(args, 0, withModel, 2, args.length);
        new CommandLine(c).parseArgs(withModel);
        return c;
    }

    private static FitCommand fit(String... args) {
        FitCommand c = new FitCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void sigmaBeforeTheInputLeavesTheInputAlone() {
        EvalCommand c = eval("--sigma", "in.xyz", "-o", "out.xyz");
        assertEquals(PredictedSigma.Kind.OBSERVED, c.sigma);
        assertEquals(Path.of("in.xyz"), c.input);
    }

    @Test
    void sigmaTakesItsKindSeparateOrAttachedAndLast() {
        assertEquals(PredictedSigma.Kind.LATENT, eval("--sigma", "latent", "in.xyz", "-o", "o.xyz").sigma);
        assertEquals(PredictedSigma.Kind.LATENT, eval("--sigma=LATENT", "in.xyz", "-o", "o.xyz").sigma);
        assertEquals(PredictedSigma.Kind.OBSERVED, eval("in.xyz", "-o", "o.xyz", "--sigma").sigma);
    }

    @Test
    void anAttachedValueThatIsNoKindIsRefused() {
        assertThrows(ParameterException.class, () -> eval("--sigma=bogus", "in.xyz", "-o", "o.xyz"));
    }

    @Test
    void optimiseBeforeGapFitArgumentsKeepsThemAndItsDefaultCap() {
        FitCommand c = fit("--optimise", "at_file=train.xyz", "gp_file=m.gap");
        assertEquals(200, c.optimise);
        assertEquals(List.of("at_file=train.xyz", "gp_file=m.gap"), c.gapFitArguments);
        assertEquals(50, fit("--optimise", "50", "at_file=train.xyz").optimise);
    }
}
