package org.soapstone.engine.ipi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.structure.Structure;

/** {@link IpiClient} against a hand-written i-PI server: byte-exact headers and payloads, units, INIT, EXIT. */
class IpiClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Removes the socket files the hand-written servers of these tests leave behind. */
    @AfterAll
    static void removeSocketFiles() throws IOException {
        try (var files = Files.newDirectoryStream(Path.of("/tmp"),
                "ipi_soapstone-test-" + ProcessHandle.current().pid() + "-*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    void answersStatusInitPositionsAndForcesByteForByte() throws Exception {
        IpiAddress address = unique();
        RecordingCalculator calc = new RecordingCalculator();
        try (ServerSocketChannel server = address.bind()) {
            CompletableFuture<Long> client = start(address, calc, "Si", IpiExtras.NONE);
            try (FakePeer peer = new FakePeer(server.accept())) {
                peer.header("STATUS");
                peer.expect("READY");
                ByteBuffer init = FakePeer.buffer(11).putInt(0).putInt(3).put("abc".getBytes(StandardCharsets.US_ASCII));
                peer.header("INIT");
                peer.send(init);
                // step 1: 2 atoms in a triclinic cell; step 2: 3 atoms in another cell (NPT, a new system)
                double[][] lattices = {{5, 0, 0, 1, 6, 0, -0.5, 0.7, 7}, {5.2, 0, 0, 0.9, 6.1, 0, -0.4, 0.8, 7.3}};
                double[][] positions = {{0.1, 0.2, 0.3, 1.5, 1.6, -1.7}, {0, 0, 0, 1, 1, 1, 2, 2.5, 3}};
                for (int step = 0; step < 2; step++) {
                    peer.header("STATUS");
                    peer.expect("READY");
                    sendPositions(peer, lattices[step], positions[step]);
                    peer.header("STATUS");
                    peer.expect("HAVEDATA");
                    peer.header("GETFORCE");
                    peer.expect("FORCEREADY");
                    int n = positions[step].length / 3;
                    Structure seen = calc.seen.get(step);
                    assertArrayEquals(lattices[step], seen.cell().matrix(), 1e-14, "cell rows (Å)");
                    assertArrayEquals(positions[step], seen.positions(), 1e-14, "positions (Å)");
                    assertEquals(14, seen.numbers()[n - 1]);
                    CalculationResults expected = calc.results(seen);
                    assertEquals(expected.energy / IpiUnits.HARTREE, peer.doubles(1)[0], 0.0, "energy (Ha)");
                    assertEquals(n, peer.readInt());
                    double[] f = peer.doubles(3 * n);
                    for (int k = 0; k < 3 * n; k++) {
                        assertEquals(expected.forces[k] / IpiUnits.HARTREE_PER_BOHR, f[k], 0.0, "force (Ha/Bohr)");
                    }
                    double[] w = expected.virial(seen.volume());
                    double[] got = peer.doubles(9);
                    for (int k = 0; k < 9; k++) {
                        assertEquals(w[k] / IpiUnits.HARTREE, got[k], 1e-15, "virial (Ha)");
                    }
                    assertEquals(1, peer.readInt(), "extras length");
                    assertEquals(0, peer.read(1).get(), "extras: one zero byte");
                }
                peer.header("EXIT");
            }
            assertEquals(2, client.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void jsonExtrasCarryTheLocalEnergySigmas() throws Exception {
        assertEquals("{\"local_energy_sigma\": [1.0, 2.0]}", jsonExtras(new RecordingCalculator()));
    }

    @Test
    void jsonExtrasOfAModelWithAPosteriorCarryItsObservedSigmas() throws Exception {
        RecordingCalculator posterior = new RecordingCalculator() {
            @Override
            public boolean hasPosterior() {
                return true;
            }

            @Override
            public org.soapstone.engine.gap.ObservedVariance observedVariance(Structure s, String group) {
                return new org.soapstone.engine.gap.ObservedVariance(0.25, new double[] {1, 4, 9, 16, 25, 36},
                        new double[6]);
            }
        };
        assertEquals("{\"local_energy_sigma\": [1.0, 2.0], \"energy_sigma\": 0.5, \"force_sigma\": [1.0, 2.0, 3.0, "
                + "4.0, 5.0, 6.0]}", jsonExtras(posterior));
    }

    @Test
    void jsonExtrasOfAModelOnABaselineCarryTheModelsSigmas() throws Exception {
        Calculator baseline = new Calculator() {
            @Override
            public Set<Property> implementedProperties() {
                return EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);
            }

            @Override
            public void calculate(Structure s, Set<Property> requested, CalculationResults r) {
                r.reset(s.size());
                r.markComputed(requested);
            }
        };
        assertEquals("{\"local_energy_sigma\": [1.0, 2.0]}",
                jsonExtras(new SumCalculator(List.of(baseline, new RecordingCalculator()))));
        assertEquals("{}", jsonExtras(baseline), "no model, no σ");
    }

    /** The extras a client with {@code calc} sends for a 2-atom step. */
    private static String jsonExtras(Calculator calc) throws Exception {
        IpiAddress address = unique();
        try (ServerSocketChannel server = address.bind()) {
            CompletableFuture<Long> client = start(address, calc, "C", IpiExtras.JSON);
            String extras;
            try (FakePeer peer = new FakePeer(server.accept())) {
                peer.header("STATUS");
                peer.expect("READY");
                sendPositions(peer, new double[] {4, 0, 0, 0, 4, 0, 0, 0, 4}, new double[] {0, 0, 0, 1, 1, 1});
                peer.header("GETFORCE");
                peer.expect("FORCEREADY");
                peer.read(8 + 4 + 48 + 72);
                int length = peer.readInt();
                extras = new String(peer.read(length).array(), StandardCharsets.UTF_8);
            }
            assertEquals(1, client.get(10, TimeUnit.SECONDS), "a server closing the connection ends the client");
            return extras;
        }
    }

    @Test
    void waitsForAServerThatStartsLaterOverTcp() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            port = ((java.net.InetSocketAddress) probe.bind(null).getLocalAddress()).getPort();
        }
        IpiAddress address = IpiAddress.parse("inet:localhost:" + port);
        CompletableFuture<Long> client = start(address, new RecordingCalculator(), "Si", IpiExtras.NONE);
        Thread.sleep(300);
        try (ServerSocketChannel server = address.bind(); FakePeer peer = new FakePeer(server.accept())) {
            peer.header("STATUS");
            peer.expect("READY");
            peer.header("EXIT");
        }
        assertEquals(0, client.get(10, TimeUnit.SECONDS));
    }

    @Test
    void reconnectsAfterTheServerClosesAndStopsAtExit() throws Exception {
        IpiAddress address = unique();
        IpiClient client = new IpiClient(address, new RecordingCalculator(), IpiSpecies.parse("C"),
                new IpiClient.Options(TIMEOUT, IpiExtras.NONE, true));
        CompletableFuture<Long> run = CompletableFuture.supplyAsync(() -> {
            try {
                return client.run();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        ServerSocketChannel first = address.bind();
        try (FakePeer peer = new FakePeer(first.accept())) {
            peer.header("STATUS");
            peer.expect("READY");
            sendPositions(peer, new double[] {4, 0, 0, 0, 4, 0, 0, 0, 4}, new double[] {0, 0, 0, 1, 1, 1});
            peer.header("GETFORCE");
            peer.expect("FORCEREADY");
            peer.read(8 + 4 + 48 + 72);
            peer.read(peer.readInt());
            // the server goes away before the connection closes, so the client's reconnection finds no listener
            first.close();
            Files.deleteIfExists(address.unixPath());
        }
        Thread.sleep(100);
        assertFalse(run.isDone(), "a closed connection without EXIT must not end a reconnecting client");
        try (ServerSocketChannel server = address.bind(); FakePeer peer = new FakePeer(server.accept())) {
            peer.header("STATUS");
            peer.expect("READY");
            peer.header("EXIT");
        }
        assertEquals(1, run.get(10, TimeUnit.SECONDS), "one evaluation over the two connections, then EXIT");
    }

    @Test
    void noServerIsAClearTimeOut() {
        IpiAddress address = unique();
        IpiClient client = new IpiClient(address, new RecordingCalculator(), IpiSpecies.parse("Si"),
                new IpiClient.Options(Duration.ofMillis(300), IpiExtras.NONE));
        IpiException e = assertThrows(IpiException.class, client::run);
        assertTrue(e.getMessage().startsWith("no i-PI server at unix:" + address.name()), e.getMessage());
    }

    @Test
    void badServersGetClearErrors() throws Exception {
        assertEquals("the i-PI server sent 3 atoms, but 2 species were given (give one element for all atoms, or "
                + "one per atom)", failure(peer -> sendPositions(peer, new double[] {4, 0, 0, 0, 4, 0, 0, 0, 4},
                        new double[9]), "Si,C"));
        assertTrue(failure(peer -> peer.header("GETFORCE"), "Si").endsWith("asked GETFORCE before sending POSDATA"));
        assertEquals("unknown i-PI header 'POSDAT\\x00\\x00\\x00\\x00\\x00\\x00'",
                failure(peer -> peer.send(FakePeer.buffer(12).put("POSDAT".getBytes(StandardCharsets.US_ASCII))
                        .put(new byte[6])), "Si"));
        assertTrue(failure(peer -> {
            peer.header("POSDATA");
            peer.send(FakePeer.buffer(16).putDouble(1).putDouble(2));
            peer.close();
        }, "Si").contains("closed the connection in the middle of POSDATA cell (16 of 144 bytes received)"));
    }

    private interface Script {
        void play(FakePeer peer) throws IOException;
    }

    private static String failure(Script script, String species) throws Exception {
        IpiAddress address = unique();
        try (ServerSocketChannel server = address.bind()) {
            CompletableFuture<Long> client = start(address, new RecordingCalculator(), species, IpiExtras.NONE);
            try (FakePeer peer = new FakePeer(server.accept())) {
                script.play(peer);
                ExecutionException e = assertThrows(ExecutionException.class, () -> client.get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof IpiException, e.getCause().toString());
                return e.getCause().getMessage();
            }
        }
    }

    static void sendPositions(FakePeer peer, double[] lattice, double[] positions) throws IOException {
        int n = positions.length / 3;
        ByteBuffer b = FakePeer.buffer(144 + 4 + 24 * n);
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                b.putDouble(lattice[3 * k + i] / IpiUnits.BOHR); // columns are lattice vectors
            }
        }
        for (int k = 0; k < 9; k++) {
            b.putDouble(1e6 + k); // an inverse the client must not use
        }
        b.putInt(n);
        for (double x : positions) {
            b.putDouble(x / IpiUnits.BOHR);
        }
        peer.header("POSDATA");
        peer.send(b);
    }

    private static CompletableFuture<Long> start(IpiAddress address, Calculator calc, String species,
            IpiExtras extras) {
        IpiClient client = new IpiClient(address, calc, IpiSpecies.parse(species),
                new IpiClient.Options(TIMEOUT, extras));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.run();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    static IpiAddress unique() {
        IpiAddress a = IpiAddress.parse("unix:soapstone-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.deleteIfExists(a.unixPath());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return a;
    }

    /**
     * A model whose answers are simple functions of the input, recording every structure it is given: energy
     * 1.5 + Σ positions (eV), force k = 0.1 (k + 1) (eV/Å), a fixed non-diagonal stress (eV/Å³), local variances
     * (i + 1)² (eV²).
     */
    static class RecordingCalculator implements Calculator, PredictiveVariance {
        final List<Structure> seen = new ArrayList<>();

        @Override
        public Set<Property> implementedProperties() {
            return EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);
        }

        @Override
        public void calculate(Structure s, Set<Property> requested, CalculationResults r) {
            seen.add(s.copy());
            fill(s, r);
            r.markComputed(requested);
        }

        CalculationResults results(Structure s) {
            CalculationResults r = new CalculationResults();
            fill(s, r);
            return r;
        }

        private static void fill(Structure s, CalculationResults r) {
            r.reset(s.size());
            r.energy = 1.5;
            for (double x : s.positions()) {
                r.energy += x;
            }
            for (int k = 0; k < r.forces.length; k++) {
                r.forces[k] = 0.1 * (k + 1);
            }
            System.arraycopy(new double[] {0.01, 0.02, 0.03, 0.004, 0.005, 0.006}, 0, r.stress, 0, 6);
        }

        @Override
        public double[] localVariance(Structure s) {
            double[] v = new double[s.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (i + 1.0) * (i + 1.0);
            }
            return v;
        }

        @Override
        public boolean hasPosterior() {
            return false;
        }

        @Override
        public double energyVariance(Structure s) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double[] forceVariance(Structure s) {
            throw new UnsupportedOperationException();
        }
    }
}
