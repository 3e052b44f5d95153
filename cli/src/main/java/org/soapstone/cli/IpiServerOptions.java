package org.soapstone.cli;

import java.io.IOException;
import java.time.Duration;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.ipi.IpiAddress;
import org.soapstone.engine.ipi.IpiCalculator;
import picocli.CommandLine.Option;

/** The {@code --ipi-server} option: an external code (LAMMPS {@code fix ipi}, ASE) as the calculator. */
final class IpiServerOptions {
    @Option(names = "--ipi-server", required = true, paramLabel = "unix:NAME|inet:HOST:PORT",
            description = {"Use an external i-PI force provider as the calculator: Soapstone listens on the UNIX "
                + "socket /tmp/ipi_NAME or on HOST:PORT, and a client (LAMMPS 'fix ipi', ASE SocketClient) started "
                + "beside it returns energy (eV), forces (eV/Å) and virial for the positions (Å) sent. The client "
                + "must hold the same atoms in the same order."})
    String address;

    @Option(names = "--ipi-timeout", defaultValue = "120", paramLabel = "S",
            description = "Seconds to wait for the i-PI client to connect and for each answer "
                    + "(default: ${DEFAULT-VALUE}).")
    double timeout;

    Calculator calculator() throws IOException {
        if (!(timeout > 0)) {
            throw new IllegalArgumentException("--ipi-timeout must be > 0 s, got " + timeout);
        }
        return IpiCalculator.listen(IpiAddress.parse(address), Duration.ofMillis(Math.round(timeout * 1000)));
    }
}
