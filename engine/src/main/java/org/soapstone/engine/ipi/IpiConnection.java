package org.soapstone.engine.ipi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One i-PI connection: whole messages written in one buffer, reads of exact byte counts with a time-out, headers
 * as {@link IpiHeader}. Buffers are reused, so a steady exchange allocates nothing. Not thread-safe.
 */
final class IpiConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final long timeoutMillis;
    private final String peer;
    private final ByteBuffer header = ByteBuffer.allocate(IpiHeader.LENGTH);
    private ByteBuffer out = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer in = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * @param channel a connected channel (made non-blocking here)
     * @param timeout how long a reply or the rest of a message may take; zero waits forever
     * @param peer how to name the peer in errors
     */
    IpiConnection(SocketChannel channel, Duration timeout, String peer) throws IOException {
        this.channel = channel;
        this.timeoutMillis = timeout.toMillis();
        this.peer = peer;
        channel.configureBlocking(false);
        selector = Selector.open();
        key = channel.register(selector, 0);
    }

    /** @return a buffer holding {@code h}, with room for {@code payload} more bytes; fill it then {@link #send} */
    ByteBuffer begin(IpiHeader h, int payload) {
        int need = IpiHeader.LENGTH + payload;
        if (out.capacity() < need) {
            out = ByteBuffer.allocate(Math.max(need, 2 * out.capacity())).order(ByteOrder.LITTLE_ENDIAN);
        }
        out.clear();
        h.put(out);
        return out;
    }

    /** Sends a message that carries no payload. */
    void send(IpiHeader h) throws IOException {
        begin(h, 0);
        send();
    }

    /** Writes the buffer {@link #begin} returned, whole. */
    void send() throws IOException {
        out.flip();
        long deadline = deadline(timeoutMillis);
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(SelectionKey.OP_WRITE, deadline, "sending a message to");
            }
        }
    }

    /**
     * @param idle true to wait without time-out (a client between steps), false to apply the time-out
     * @param after what the header answers, for the error message
     * @return the next header, or null if the peer closed the connection before sending one
     */
    IpiHeader readHeader(boolean idle, String after) throws IOException {
        header.clear();
        if (!fill(header, idle ? 0 : timeoutMillis, "a header " + after, true)) {
            return null;
        }
        return IpiHeader.parse(header.array());
    }

    /** @return the header, which must be {@code expected} */
    IpiHeader expect(IpiHeader expected, String after) throws IOException {
        IpiHeader h = readHeader(false, after);
        if (h != expected) {
            throw new IpiException(peer + " answered " + (h == null ? "by closing the connection" : h) + " " + after
                    + ", expected " + expected);
        }
        return h;
    }

    /**
     * @param bytes how many bytes to read
     * @param what the part of the message, for errors
     * @return a little-endian buffer holding exactly those bytes
     */
    ByteBuffer read(int bytes, String what) throws IOException {
        if (in.capacity() < bytes) {
            in = ByteBuffer.allocate(Math.max(bytes, 2 * in.capacity())).order(ByteOrder.LITTLE_ENDIAN);
        }
        in.clear().limit(bytes);
        fill(in, timeoutMillis, what, false);
        return in.flip();
    }

    /** @return an int32 read from the wire */
    int readInt(String what) throws IOException {
        return read(4, what).getInt();
    }

    /** @return the peer's name for errors */
    String peer() {
        return peer;
    }

    private boolean fill(ByteBuffer b, long timeout, String what, boolean closeAllowed) throws IOException {
        long deadline = deadline(timeout);
        int start = b.position();
        while (b.hasRemaining()) {
            int n;
            try {
                n = channel.read(b);
            } catch (IOException e) {
                throw new IpiException(peer + " broke the connection while Soapstone read " + what + ": "
                        + e.getMessage());
            }
            if (n < 0) {
                if (closeAllowed && b.position() == start) {
                    return false;
                }
                throw new IpiException(peer + " closed the connection in the middle of " + what + " ("
                        + (b.position() - start) + " of " + (b.limit() - start) + " bytes received)");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline, "waiting for " + what + " from");
            }
        }
        return true;
    }

    private static long deadline(long timeout) {
        return timeout > 0 ? System.nanoTime() + timeout * 1_000_000L : Long.MAX_VALUE;
    }

    private void await(int op, long deadline, String doing) throws IOException {
        key.interestOps(op);
        long left = deadline == Long.MAX_VALUE ? 0 : (deadline - System.nanoTime()) / 1_000_000L;
        if (deadline != Long.MAX_VALUE && left <= 0 || selector.select(deadline == Long.MAX_VALUE ? 0 : left) == 0
                && deadline != Long.MAX_VALUE && System.nanoTime() >= deadline) {
            throw new IpiException("timed out after " + timeoutMillis / 1000.0 + " s " + doing + " " + peer);
        }
        selector.selectedKeys().clear();
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
