package org.soapstone.cli;

import java.util.Arrays;
import java.util.Map;
import java.util.Stack;
import java.util.function.Predicate;
import org.soapstone.engine.accuracy.PredictedSigma;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lets an option whose value is optional take the next argument only when that argument is one of its values:
 * {@code eval --sigma in.xyz} reads {@code in.xyz} as the input (σ takes its fallback), {@code --sigma latent} and
 * {@code --sigma=latent} set the value.
 */
abstract class OptionalValue implements IParameterPreprocessor {
    private final Predicate<String> isValue;

    OptionalValue(Predicate<String> isValue) {
        this.isValue = isValue;
    }

    @Override
    public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec option, Map<String, Object> info) {
        boolean attached = "=".equals(info.get("separator"));
        if (!attached && (args.isEmpty() || !isValue.test(args.peek()))) {
            args.push(((OptionSpec) option).fallbackValue());
        }
        return false;
    }

    /** A σ kind: {@code observed} or {@code latent}, in any case. */
    static final class SigmaKind extends OptionalValue {
        SigmaKind() {
            super(v -> Arrays.stream(PredictedSigma.Kind.values()).anyMatch(k -> k.name().equalsIgnoreCase(v)));
        }
    }

    /** A count: decimal digits. */
    static final class Count extends OptionalValue {
        Count() {
            super(v -> v.matches("[0-9]+"));
        }
    }
}
