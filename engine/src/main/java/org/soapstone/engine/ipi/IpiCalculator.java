package org.soapstone.engine.ipi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.structure.Structure;

/**
 * A {@link Calculator} backed by an external i-PI force provider (the protocol's "server" side): LAMMPS with
 * {@code fix ipi}, ASE's {@code SocketClient} in front of a DFT code, or another {@code soapstone serve}. Each
 * {@link #calculate} sends the structure's cell and positions (Bohr) and returns the client's energy (eV), forces
 * (eV/Å) and stress (eV/Å³, −W/V from the symmetrised virial W). The species and masses are Soapstone's; the
 * client must hold the same atoms in the same order.
 *
 * <p>{@link #listen} binds the socket at once; the client is accepted at the first calculation (so it may be
 * started after the socket exists), within the time-out. Every reply must arrive within the time-out too. After
 * a failed exchange the connection is dropped and the next calculation waits for a new client. {@link #close}
 * sends EXIT and removes a UNIX socket file.
 */
public final class IpiCalculator implements Calculator, AutoCloseable {
    private static final Set<Property> IMPLEMENTED = EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);
    private static final int MAX_EXTRAS = 1 << 26;

    private final IpiAddress address;
    private final Duration timeout;
    private final ServerSocketChannel server;
    private final Selector acceptor;
    private IpiConnection connection;
    private byte[] extras = new byte[0];

    private IpiCalculator(IpiAddress address, Duration timeout) throws IOException {
        this.address = address;
        this.timeout = timeout;
        this.server = address.bind();
        server.configureBlocking(false);
        acceptor = Selector.open();
        server.register(acceptor, SelectionKey.OP_ACCEPT);
    }

    /**
     * @param address where to listen
     * @param timeout how long to wait for the client to connect and for each reply; positive
     * @return a calculator listening on {@code address}
     * @throws IOException if the socket cannot be bound
     */
    public static IpiCalculator listen(IpiAddress address, Duration timeout) throws IOException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("i-PI time-out must be positive, got " + timeout);
        }
        return new IpiCalculator(address, timeout);
    }

    /** @return the address this calculator listens on */
    public IpiAddress address() {
        return address;
    }

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.copyOf(IMPLEMENTED);
    }

    /**
     * Sends the structure to the client and reads back its results.
     *
     * @throws UncheckedIOException wrapping an {@link IpiException} if no client connects in time, a reply is
     *     late, or the client breaks the protocol (the connection is then dropped)
     */
    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        checkRequested(requested);
        if (requested.contains(Property.STRESS) && !structure.cell().hasVolume()) {
            throw new IllegalArgumentException("stress needs a cell with volume");
        }
        results.reset(structure.size());
        try {
            if (connection == null) {
                connection = accept();
            }
            exchange(connection, structure, results);
        } catch (IOException e) {
            drop();
            throw new UncheckedIOException(e);
        }
        results.markComputed(structure.cell().hasVolume() ? IMPLEMENTED
                : EnumSet.of(Property.ENERGY, Property.FORCES));
    }

    /** @return the extras bytes of the last FORCEREADY (free-form; JSON for i-PI clients) */
    public byte[] lastExtras() {
        return extras.clone();
    }

    private IpiConnection accept() throws IOException {
        if (acceptor.select(timeout.toMillis()) == 0) {
            throw new IpiException(String.format(Locale.ROOT, "no i-PI client connected to %s within %.3g s",
                    address, timeout.toMillis() / 1000.0));
        }
        acceptor.selectedKeys().clear();
        SocketChannel ch = server.accept();
        if (ch == null) {
            throw new IpiException("an i-PI client at " + address + " went away while connecting");
        }
        return new IpiConnection(ch, timeout, "i-PI client at " + address);
    }

    private void exchange(IpiConnection c, Structure s, CalculationResults results) throws IOException {
        c.send(IpiHeader.STATUS);
        IpiHeader h = c.readHeader(false, "to STATUS");
        if (h == IpiHeader.NEEDINIT) {
            ByteBuffer b = c.begin(IpiHeader.INIT, 9);
            b.putInt(0).putInt(1).put((byte) 0);
            c.send();
            c.send(IpiHeader.STATUS);
            h = c.readHeader(false, "to STATUS after INIT");
        }
        if (h != IpiHeader.READY) {
            throw new IpiException(c.peer() + " answered " + (h == null ? "by closing the connection" : h)
                    + " to STATUS, expected READY");
        }
        int n = s.size();
        ByteBuffer b = c.begin(IpiHeader.POSDATA, 2 * IpiWire.MATRIX_BYTES + 4 + 24 * n);
        IpiWire.putCell(b, s.cell());
        b.putInt(n);
        for (double x : s.positions()) {
            b.putDouble(x / IpiUnits.BOHR);
        }
        c.send();
        c.send(IpiHeader.STATUS);
        c.expect(IpiHeader.HAVEDATA, "to STATUS after POSDATA");
        c.send(IpiHeader.GETFORCE);
        c.expect(IpiHeader.FORCEREADY, "to GETFORCE");
        results.energy = c.read(8, "FORCEREADY energy").getDouble() * IpiUnits.HARTREE;
        int atoms = c.readInt("FORCEREADY atom count");
        if (atoms != n) {
            throw new IpiException(c.peer() + " returned forces for " + atoms + " atoms; Soapstone sent " + n);
        }
        ByteBuffer f = c.read(24 * n, "FORCEREADY forces of " + n + " atoms");
        for (int k = 0; k < 3 * n; k++) {
            results.forces[k] = f.getDouble() * IpiUnits.HARTREE_PER_BOHR;
        }
        double[] w = IpiWire.readVirial(c.read(IpiWire.MATRIX_BYTES, "FORCEREADY virial"));
        if (s.cell().hasVolume()) {
            double[] stress = CalculationResults.matrixToVoigt(w, -1.0 / s.volume());
            System.arraycopy(stress, 0, results.stress, 0, 6);
        }
        int length = c.readInt("FORCEREADY extras length");
        if (length < 0 || length > MAX_EXTRAS) {
            throw new IpiException(c.peer() + " announced " + length + " bytes of extras");
        }
        extras = new byte[length];
        c.read(length, "FORCEREADY extras").get(extras);
    }

    private void drop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // the connection is abandoned either way
            }
            connection = null;
        }
    }

    /** Sends EXIT to a connected client, closes the sockets and removes a UNIX socket file. */
    @Override
    public void close() throws IOException {
        try {
            if (connection != null) {
                try {
                    connection.send(IpiHeader.EXIT);
                } catch (IOException e) {
                    // a client that already left needs no EXIT
                }
            }
        } finally {
            drop();
            acceptor.close();
            server.close();
            if (address.transport() == IpiAddress.Transport.UNIX) {
                Files.deleteIfExists(address.unixPath());
            }
        }
    }
}
