package org.soapstone.engine.ipi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/** {@link IpiCalculator} against hand-written i-PI clients: NEEDINIT/INIT, units, virial, EXIT, bad clients. */
class IpiCalculatorTest {
    private static final double[] LATTICE = {5, 0, 0, 1, 6, 0, -0.5, 0.7, 7};

    @Test
    void drivesAClientThatNeedsInitAndConvertsItsAnswer() throws Exception {
        IpiAddress address = IpiClientTest.unique();
        Structure s = new Structure(new int[] {14, 6}, new double[] {0.1, 0.2, 0.3, 1.5, 1.6, -1.7},
                new Cell(LATTICE, new boolean[] {true, true, true}));
        // a LAMMPS-like answer: only the upper triangle of the virial filled
        double[] virialHa = {0.1, 0.02, 0.03, 0, 0.2, 0.05, 0, 0, 0.3};
        CompletableFuture<Void> client;
        try (IpiCalculator calc = IpiCalculator.listen(address, Duration.ofSeconds(10))) {
            client = CompletableFuture.runAsync(() -> {
                try (FakePeer peer = new FakePeer(SocketChannel.open(address.socketAddress()))) {
                    peer.expect("STATUS");
                    peer.header("NEEDINIT");
                    peer.expect("INIT");
                    assertEquals(0, peer.readInt(), "bead index");
                    assertEquals(1, peer.readInt(), "init string length");
                    assertEquals(0, peer.read(1).get(), "init string");
                    peer.expect("STATUS");
                    peer.header("READY");
                    peer.expect("POSDATA");
                    double[] h = peer.doubles(9);
                    for (int i = 0; i < 3; i++) {
                        for (int k = 0; k < 3; k++) {
                            assertEquals(LATTICE[3 * k + i] / IpiUnits.BOHR, h[3 * i + k], 1e-15, "h columns");
                        }
                    }
                    double[] ih = peer.doubles(9);
                    double[] product = new double[9];
                    for (int i = 0; i < 3; i++) {
                        for (int k = 0; k < 3; k++) {
                            for (int m = 0; m < 3; m++) {
                                product[3 * i + k] += h[3 * i + m] * ih[3 * m + k];
                            }
                        }
                    }
                    assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, product, 1e-14, "h·h⁻¹");
                    assertEquals(2, peer.readInt());
                    double[] r = peer.doubles(6);
                    for (int k = 0; k < 6; k++) {
                        assertEquals(s.positions()[k] / IpiUnits.BOHR, r[k], 1e-15, "positions (Bohr)");
                    }
                    peer.expect("STATUS");
                    peer.header("HAVEDATA");
                    peer.expect("GETFORCE");
                    peer.header("FORCEREADY");
                    ByteBuffer b = FakePeer.buffer(8 + 4 + 48 + 72 + 4 + 2).putDouble(-2.0).putInt(2);
                    for (int k = 0; k < 6; k++) {
                        b.putDouble(0.01 * (k + 1));
                    }
                    for (double v : virialHa) {
                        b.putDouble(v);
                    }
                    peer.send(b.putInt(2).put(new byte[] {'{', '}'}));
                    peer.expect("EXIT");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            CalculationResults r = calc.calculate(s);
            assertEquals(-2.0 * IpiUnits.HARTREE, r.energy, 1e-13);
            for (int k = 0; k < 6; k++) {
                assertEquals(0.01 * (k + 1) * IpiUnits.HARTREE_PER_BOHR, r.forces[k], 1e-13);
            }
            double v = s.volume();
            double[] expected = {-0.1, -0.2, -0.3, -0.05, -0.03, -0.02};
            for (int c = 0; c < 6; c++) {
                assertEquals(expected[c] * IpiUnits.HARTREE / v, r.stress[c], 1e-15, "stress " + c + " (eV/Å³)");
            }
            assertEquals("{}", new String(calc.lastExtras()));
        }
        client.get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(address.unixPath()), "the socket file is removed on close");
    }

    @Test
    void aWrongAtomCountIsAClearErrorAndTheNextClientIsServed() throws Exception {
        IpiAddress address = IpiClientTest.unique();
        Structure s = new Structure(new int[] {14, 14}, new double[] {0, 0, 0, 1, 1, 1},
                new Cell(LATTICE, new boolean[] {true, true, true}));
        try (IpiCalculator calc = IpiCalculator.listen(address, Duration.ofSeconds(10))) {
            CompletableFuture<Void> bad = answer(address, 3);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> calc.calculate(s));
            assertEquals("i-PI client at " + address + " returned forces for 3 atoms; Soapstone sent 2",
                    e.getCause().getMessage());
            bad.get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> good = answer(address, 2);
            assertEquals(-2.0 * IpiUnits.HARTREE, calc.calculate(s).energy, 1e-13);
            good.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void timeOutsAndBrokenClientsAreClearErrors() throws Exception {
        IpiAddress address = IpiClientTest.unique();
        Structure s = new Structure(new int[] {14}, new double[3], new Cell(LATTICE, new boolean[] {true, true, true}));
        try (IpiCalculator calc = IpiCalculator.listen(address, Duration.ofMillis(300))) {
            UncheckedIOException noClient = assertThrows(UncheckedIOException.class, () -> calc.calculate(s));
            assertEquals("no i-PI client connected to " + address + " within 0.300 s", noClient.getCause().getMessage());
            try (SocketChannel silent = SocketChannel.open(address.socketAddress())) {
                UncheckedIOException late = assertThrows(UncheckedIOException.class, () -> calc.calculate(s));
                assertEquals("timed out after 0.3 s waiting for a header to STATUS from i-PI client at " + address,
                        late.getCause().getMessage());
            }
            try (FakePeer peer = new FakePeer(SocketChannel.open(address.socketAddress()))) {
                CompletableFuture<Void> confused = CompletableFuture.runAsync(() -> {
                    try {
                        peer.expect("STATUS");
                        peer.header("FORCEREADY");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                UncheckedIOException wrong = assertThrows(UncheckedIOException.class, () -> calc.calculate(s));
                assertEquals("i-PI client at " + address + " answered FORCEREADY to STATUS, expected READY",
                        wrong.getCause().getMessage());
                confused.get(10, TimeUnit.SECONDS);
            }
            try (FakePeer peer = new FakePeer(SocketChannel.open(address.socketAddress()))) {
                CompletableFuture<Void> broken = CompletableFuture.runAsync(() -> {
                    try {
                        peer.expect("STATUS");
                        peer.send(FakePeer.buffer(5).put("READ".getBytes()).put((byte) ' '));
                        peer.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                UncheckedIOException cut = assertThrows(UncheckedIOException.class, () -> calc.calculate(s));
                assertTrue(cut.getCause().getMessage().endsWith("closed the connection in the middle of a header "
                        + "to STATUS (5 of 12 bytes received)"), cut.getCause().getMessage());
                broken.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A client that answers one step with energy −2 Ha and {@code atoms} zero forces, then expects EXIT or EOF. */
    private static CompletableFuture<Void> answer(IpiAddress address, int atoms) {
        return CompletableFuture.runAsync(() -> {
            try (FakePeer peer = new FakePeer(SocketChannel.open(address.socketAddress()))) {
                peer.expect("STATUS");
                peer.header("READY");
                peer.expect("POSDATA");
                peer.read(144);
                peer.read(24 * peer.readInt());
                peer.expect("STATUS");
                peer.header("HAVEDATA");
                peer.expect("GETFORCE");
                peer.header("FORCEREADY");
                ByteBuffer b = FakePeer.buffer(8 + 4 + 24 * atoms + 72 + 5).putDouble(-2.0).putInt(atoms);
                peer.send(b.put(new byte[24 * atoms + 72]).putInt(1).put((byte) 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
