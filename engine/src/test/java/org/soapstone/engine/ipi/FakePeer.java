package org.soapstone.engine.ipi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** The far end of an i-PI connection written by hand in a test: raw bytes, blocking, little-endian. */
final class FakePeer implements AutoCloseable {
    private final SocketChannel channel;

    FakePeer(SocketChannel channel) {
        this.channel = channel;
    }

    /** Sends the 12-byte header {@code text}, space-padded. */
    void header(String text) throws IOException {
        send(buffer(12).put(String.format("%-12s", text).getBytes(StandardCharsets.US_ASCII)));
    }

    /** Reads 12 bytes and asserts they are exactly {@code text} right-padded with spaces. */
    void expect(String text) throws IOException {
        assertEquals(String.format("%-12s", text), new String(read(12).array(), StandardCharsets.US_ASCII));
    }

    ByteBuffer read(int bytes) throws IOException {
        ByteBuffer b = buffer(bytes);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new IOException("closed after " + b.position() + " of " + bytes + " bytes");
            }
        }
        return b.flip();
    }

    double[] doubles(int n) throws IOException {
        ByteBuffer b = read(8 * n);
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            d[k] = b.getDouble();
        }
        return d;
    }

    int readInt() throws IOException {
        return read(4).getInt();
    }

    static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    void send(ByteBuffer b) throws IOException {
        b.flip();
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
