package org.soapstone.engine.ipi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an i-PI peer listens: a UNIX socket {@code /tmp/ipi_NAME} (the path i-PI, ASE and LAMMPS derive from a
 * name) or a TCP host and port. Written {@code unix:NAME} or {@code inet:HOST:PORT}.
 *
 * @param transport UNIX or INET
 * @param name the socket name (UNIX) or host name (INET)
 * @param port the TCP port (INET), 0 for UNIX
 */
public record IpiAddress(Transport transport, String name, int port) {
    /** The socket family. */
    public enum Transport {
        /** A UNIX domain socket at {@code /tmp/ipi_NAME}. */
        UNIX,
        /** A TCP socket. */
        INET
    }

    /** Validates the fields. */
    public IpiAddress {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an i-PI address needs a socket or host name");
        }
        if (transport == Transport.UNIX && (name.contains("/") || port != 0)) {
            throw new IllegalArgumentException("a UNIX i-PI socket is a plain name (it becomes /tmp/ipi_NAME), got '"
                    + name + "'");
        }
        if (transport == Transport.INET && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("i-PI TCP port must be 1..65535, got " + port);
        }
    }

    /**
     * @param text {@code unix:NAME} or {@code inet:HOST:PORT}
     * @return the address
     * @throws IllegalArgumentException naming the text if it is neither
     */
    public static IpiAddress parse(String text) {
        if (text.startsWith("unix:")) {
            return new IpiAddress(Transport.UNIX, text.substring(5), 0);
        }
        if (text.startsWith("inet:")) {
            String rest = text.substring(5);
            int colon = rest.lastIndexOf(':');
            if (colon > 0) {
                try {
                    return new IpiAddress(Transport.INET, rest.substring(0, colon),
                            Integer.parseInt(rest.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
        }
        throw new IllegalArgumentException("an i-PI socket is unix:NAME or inet:HOST:PORT, got '" + text + "'");
    }

    /** @return the file of a UNIX socket, {@code /tmp/ipi_NAME} */
    public Path unixPath() {
        return Path.of("/tmp", "ipi_" + name);
    }

    /** @return the socket address to connect or bind to */
    public SocketAddress socketAddress() {
        return transport == Transport.UNIX ? UnixDomainSocketAddress.of(unixPath())
                : new InetSocketAddress(name, port);
    }

    /** @return a blocking channel connected to this address */
    SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(transport == Transport.UNIX ? StandardProtocolFamily.UNIX
                : StandardProtocolFamily.INET);
        try {
            ch.connect(socketAddress());
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** @return a server channel bound to this address (a stale UNIX socket file is removed first) */
    ServerSocketChannel bind() throws IOException {
        if (transport == Transport.UNIX) {
            Files.deleteIfExists(unixPath());
            return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(socketAddress());
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
        ch.socket().setReuseAddress(true);
        return ch.bind(socketAddress());
    }

    @Override
    public String toString() {
        return transport == Transport.UNIX ? "unix:" + name + " (" + unixPath() + ")" : "inet:" + name + ":" + port;
    }
}
