package org.soapstone.cli;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.soapstone.engine.descriptor.Distance2bParameters;
import org.soapstone.engine.descriptor.SoapParameters;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.structure.Element;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.ipi.IpiAddress;
import org.soapstone.engine.ipi.IpiClient;
import org.soapstone.engine.ipi.IpiExtras;
import org.soapstone.engine.ipi.IpiSpecies;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code soapstone serve}: a force provider for i-PI, ASE's SocketIOCalculator or any i-PI driver. */
@Command(name = "serve",
        header = "Serve a model's energies, forces and virials over the i-PI socket to a driver (i-PI, "
                + "ASE).",
        mixinStandardHelpOptions = true,
        description = {"Serve energies (eV), forces (eV/Å) and virials of a model over the i-PI socket protocol "
            + "(sent in Hartree and Bohr) to a driver: i-PI, ASE's SocketIOCalculator, or 'soapstone md "
            + "--ipi-server'. Connects to the driver (retrying until --timeout), answers every step, and exits "
            + "when the driver sends EXIT or closes the connection."})
final class ServeCommand implements Callable<Integer> {
    @ArgGroup(exclusive = false, multiplicity = "1")
    CalculatorOptions source;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--socket", required = true, paramLabel = "unix:NAME|inet:HOST:PORT",
            description = "The driver's socket: unix:NAME is the UNIX socket /tmp/ipi_NAME (as i-PI, ASE and LAMMPS "
                    + "name it), inet:HOST:PORT a TCP socket.")
    String socket;

    @Option(names = "--species", paramLabel = "EL[,EL…]",
            description = "The elements of the atoms the driver sends (the protocol sends positions only): one "
                    + "symbol for every atom, or one per atom in the driver's order. May be left out for a "
                    + "single-species --model: its species is used.")
    String species;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "S",
            description = "Seconds to keep trying to connect (the driver may start later), and to wait for the rest "
                    + "of a message once started (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--extras", defaultValue = "none", paramLabel = "none|json",
            description = "The extras field of each answer: none (one zero byte; what ASE 3.22 accepts) or json "
                    + "({\"local_energy_sigma\": [eV per atom, latent]} for a GAP model and, for a model with a "
                    + "posterior, \"energy_sigma\" (eV) and \"force_sigma\" [eV/Å, 3 per atom]: the calibrated "
                    + "observed σ of eval --sigma, at about the cost of one more force evaluation; for i-PI) (default: "
                    + "${DEFAULT-VALUE}).")
    Extras extras;

    @Option(names = "--reconnect",
            description = "When the driver closes the connection without EXIT, wait (up to --timeout) for it to come "
                    + "back and serve it again; EXIT still ends the run. Off by default: ASE's close() waits for "
                    + "this process to end.")
    boolean reconnect;

    /** The extras choices as users type them. */
    enum Extras { none, json }

    @Override
    public Integer call() throws Exception {
        threads.apply();
        if (!(timeout > 0)) {
            throw new IllegalArgumentException("--timeout must be > 0 s, got " + timeout);
        }
        IpiAddress address = IpiAddress.parse(socket);
        IpiSpecies elements = IpiSpecies.parse(species != null ? species : modelSpecies());
        Calculator calc = source.calculator();
        try {
            IpiClient client = new IpiClient(address, calc, elements, new IpiClient.Options(
                    Duration.ofMillis(Math.round(timeout * 1000)), extras == Extras.json ? IpiExtras.JSON
                            : IpiExtras.NONE, reconnect));
            long steps = client.run();
            System.out.println("serve: " + steps + " force evaluations for the driver at " + address);
        } finally {
            CalculatorOptions.release(calc);
        }
        return 0;
    }

    /** The one element a single-species model describes; an error naming --species otherwise. */
    private String modelSpecies() throws IOException {
        if (source.model == null) {
            throw new IllegalArgumentException("--species is required (the i-PI protocol sends positions only)");
        }
        Set<Integer> z = new TreeSet<>();
        for (var term : GapModel.read(source.model).terms()) {
            switch (term.descriptor().descriptor()) {
                case SoapParameters p -> {
                    Arrays.stream(p.species().channels()).filter(v -> v > 0).forEach(z::add);
                    Arrays.stream(p.species().centres()).filter(v -> v > 0).forEach(z::add);
                }
                case Distance2bParameters p -> {
                    if (p.z1() > 0) {
                        z.add(p.z1());
                    }
                    if (p.z2() > 0) {
                        z.add(p.z2());
                    }
                }
            }
        }
        if (z.size() != 1) {
            throw new IllegalArgumentException("--species is required: the model " + source.model + " describes "
                    + (z.isEmpty() ? "no particular species" : z.size() + " species") + ", so the driver's atoms "
                    + "cannot be told apart from positions alone");
        }
        return Element.of(z.iterator().next()).symbol();
    }
}
