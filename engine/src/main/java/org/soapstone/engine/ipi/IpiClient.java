package org.soapstone.engine.ipi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.gap.ObservedVariance;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/**
 * An i-PI force provider (the protocol's "client"): connects to a driver (i-PI, ASE's {@code SocketIOCalculator},
 * any i-PI server), and answers every POSDATA with the energy, forces and virial of a {@link Calculator}. Any atom
 * count and a cell that changes every step (NPT) are handled; the species come from {@link IpiSpecies}, since the
 * protocol sends none. Units: Soapstone's eV/Å inside, Bohr/Hartree on the wire ({@link IpiUnits}).
 *
 * <p>The client answers STATUS with READY (or HAVEDATA once it has computed), accepts an INIT at any time and
 * ignores its string, and stops cleanly when the server sends EXIT or closes the connection between messages.
 */
public final class IpiClient {
    /**
     * @param timeout how long to keep retrying the connection (the server may start later) and how long the rest
     *     of a started message may take; positive
     * @param extras what to put in the extras field of FORCEREADY
     */
    public record Options(Duration timeout, IpiExtras extras, boolean reconnect) {
        /** Validates. */
        public Options {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("i-PI time-out must be positive, got " + timeout);
            }
        }

        /** Options that end the run when the server closes the connection. */
        public Options(Duration timeout, IpiExtras extras) {
            this(timeout, extras, false);
        }
    }

    private static final byte[] ZERO_BYTE = {0};
    private static final Set<Property> WITH_STRESS = EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);
    private static final Set<Property> WITHOUT_STRESS = EnumSet.of(Property.ENERGY, Property.FORCES);

    private final IpiAddress address;
    private final Calculator calculator;
    private final IpiSpecies species;
    private final Options options;
    private final CalculationResults results = new CalculationResults();
    private Structure structure;

    /**
     * @param address where the server listens
     * @param calculator the model answering each step
     * @param species the elements of the atoms the server will send
     * @param options time-out and extras
     */
    public IpiClient(IpiAddress address, Calculator calculator, IpiSpecies species, Options options) {
        this.address = address;
        this.calculator = calculator;
        this.species = species;
        this.options = options;
    }

    /**
     * Connects (retrying until the time-out) and serves until the server sends EXIT or closes the connection; with
     * {@link Options#reconnect()}, a connection closed without EXIT is followed by a new connection (again retried
     * until the time-out), so a restarted server is served by the same client.
     *
     * @return the number of force evaluations served, over all connections
     * @throws IpiException if no server appears in time, or the server breaks the protocol
     */
    public long run() throws IOException {
        long served = 0;
        while (true) {
            try (IpiConnection c = new IpiConnection(connect(), options.timeout(), "i-PI server at " + address)) {
                served += serve(c);
            }
            if (exited || !options.reconnect()) {
                return served;
            }
        }
    }

    /** Whether the last connection ended with the server's EXIT (rather than the server closing it). */
    private boolean exited;

    private long serve(IpiConnection c) throws IOException {
        boolean haveData = false;
        long served = 0;
        while (true) {
            IpiHeader h = c.readHeader(true, "from the server");
            if (h == null || h == IpiHeader.EXIT) {
                exited = h == IpiHeader.EXIT;
                return served;
            }
            switch (h) {
                case STATUS -> c.send(haveData ? IpiHeader.HAVEDATA : IpiHeader.READY);
                case INIT -> {
                    c.readInt("INIT bead index");
                    int length = c.readInt("INIT string length");
                    if (length < 0) {
                        throw new IpiException(c.peer() + " sent an INIT string of negative length " + length);
                    }
                    c.read(length, "INIT string");
                }
                case POSDATA -> {
                    readPositions(c);
                    compute();
                    haveData = true;
                }
                case GETFORCE -> {
                    if (!haveData) {
                        throw new IpiException(c.peer() + " asked GETFORCE before sending POSDATA");
                    }
                    sendForces(c);
                    haveData = false;
                    served++;
                }
                default -> throw new IpiException(c.peer() + " sent " + h + ", which only a client sends");
            }
        }
    }

    private java.nio.channels.SocketChannel connect() throws IOException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long pause = 50;
        while (true) {
            try {
                return address.connect();
            } catch (IOException e) {
                if (System.nanoTime() + pause * 1_000_000L > deadline) {
                    throw new IpiException("no i-PI server at " + address + " within " + seconds(options.timeout())
                            + " s (last error: " + e.getMessage() + ")");
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IpiException("interrupted while connecting to " + address);
            }
            pause = Math.min(500, 2 * pause);
        }
    }

    private void readPositions(IpiConnection c) throws IOException {
        Cell cell = IpiWire.readCell(c.read(2 * IpiWire.MATRIX_BYTES, "POSDATA cell"));
        int atoms = c.readInt("POSDATA atom count");
        if (atoms < 0 || atoms > Integer.MAX_VALUE / 24) {
            throw new IpiException(c.peer() + " sent POSDATA with an atom count of " + atoms);
        }
        if (structure == null || structure.size() != atoms) {
            structure = new Structure(species.numbersFor(atoms), new double[3 * atoms], cell);
        } else {
            structure.setCell(cell);
        }
        ByteBuffer b = c.read(24 * atoms, "POSDATA positions of " + atoms + " atoms");
        double[] r = structure.positions();
        for (int k = 0; k < r.length; k++) {
            r[k] = b.getDouble() * IpiUnits.BOHR;
        }
    }

    private void compute() {
        boolean stress = structure.cell().hasVolume() && calculator.implementedProperties().contains(Property.STRESS);
        calculator.calculate(structure, stress ? WITH_STRESS : WITHOUT_STRESS, results);
    }

    private void sendForces(IpiConnection c) throws IOException {
        int atoms = structure.size();
        byte[] extras = extras();
        ByteBuffer b = c.begin(IpiHeader.FORCEREADY, 8 + 4 + 24 * atoms + IpiWire.MATRIX_BYTES + 4 + extras.length);
        b.putDouble(results.energy / IpiUnits.HARTREE);
        b.putInt(atoms);
        for (double f : results.forces) {
            b.putDouble(f / IpiUnits.HARTREE_PER_BOHR);
        }
        IpiWire.putVirial(b, results.has(Property.STRESS) ? results.virial(structure.volume()) : new double[9]);
        b.putInt(extras.length);
        b.put(extras);
        c.send();
    }

    private byte[] extras() {
        if (options.extras() == IpiExtras.NONE) {
            return ZERO_BYTE;
        }
        StringBuilder json = new StringBuilder("{");
        PredictiveVariance pv = PredictiveVariance.of(calculator).orElse(null);
        if (pv != null) {
            json.append("\"local_energy_sigma\": [");
            double[] v = pv.localVariance(structure);
            for (int i = 0; i < v.length; i++) {
                json.append(i == 0 ? "" : ", ").append(Math.sqrt(Math.max(0, v[i])));
            }
            json.append(']');
            if (pv.hasPosterior()) {
                ObservedVariance o = pv.observedVariance(structure, null);
                json.append(", \"energy_sigma\": ").append(Math.sqrt(o.energy())).append(", \"force_sigma\": [");
                for (int k = 0; k < o.forces().length; k++) {
                    json.append(k == 0 ? "" : ", ").append(Math.sqrt(o.forces()[k]));
                }
                json.append(']');
            }
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3g", d.toMillis() / 1000.0);
    }
}
