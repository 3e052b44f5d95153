package org.soapstone.engine.ipi;

import java.nio.charset.StandardCharsets;

/** The messages of the i-PI protocol; on the wire each is its name in 12 ASCII bytes, right-padded with spaces. */
public enum IpiHeader {
    /** Server asks the client's state. */
    STATUS,
    /** Client: waiting for positions. */
    READY,
    /** Client: wants an {@link #INIT} first. */
    NEEDINIT,
    /** Server: bead index and an initialisation string. */
    INIT,
    /** Server: cell, inverse cell, positions. */
    POSDATA,
    /** Client: forces computed. */
    HAVEDATA,
    /** Server: send the forces. */
    GETFORCE,
    /** Client: energy, forces, virial, extras follow. */
    FORCEREADY,
    /** Server: end of the session. */
    EXIT;

    /** The length of every header (bytes). */
    public static final int LENGTH = 12;

    private final byte[] bytes = String.format("%-12s", name()).getBytes(StandardCharsets.US_ASCII);

    /** Puts the 12 bytes of this header on the wire into {@code b}. */
    void put(java.nio.ByteBuffer b) {
        b.put(bytes);
    }

    /**
     * @param raw 12 bytes read from the wire
     * @return the header they name
     * @throws IpiException if they name none
     */
    public static IpiHeader parse(byte[] raw) throws IpiException {
        String text = new String(raw, StandardCharsets.US_ASCII).strip();
        for (IpiHeader h : values()) {
            if (h.name().equals(text)) {
                return h;
            }
        }
        throw new IpiException("unknown i-PI header '" + printable(raw) + "'");
    }

    private static String printable(byte[] raw) {
        StringBuilder b = new StringBuilder();
        for (byte c : raw) {
            b.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c & 0xff));
        }
        return b.toString();
    }
}
