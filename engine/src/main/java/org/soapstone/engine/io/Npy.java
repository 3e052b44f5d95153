package org.soapstone.engine.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0 and 2.0; NumPy's {@code numpy.lib.format}):
 * the magic {@code \x93NUMPY}, a version, a little-endian header length (2 bytes in 1.0, 4 in 2.0), an ASCII
 * Python dict {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }} padded with spaces and a
 * newline to a multiple of 64 bytes, then the elements in C order. Element types: {@link NpyArray.Type}
 * (little-endian {@code <f8}, {@code <i8}, {@code <i4}); Fortran order and other types are rejected.
 *
 * <p>Files are written atomically (temporary file in the same directory, then rename). The stream methods let
 * an array be one entry of a zip archive; they neither close the stream nor read past the array's data.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int CHUNK = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(\\w+)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Writes {@code array} to {@code file} atomically: an existing file is replaced only once all is written. */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFile.write(file, out -> write(out, array));
    }

    /** Writes {@code array} in {@code .npy} format to {@code out} (not closed); version 2.0 only if needed. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        StringBuilder dict = new StringBuilder("{'descr': '").append(array.type().descr())
                .append("', 'fortran_order': False, 'shape': (");
        int[] shape = array.shape();
        for (int d : shape) {
            dict.append(d).append(", ");
        }
        if (shape.length > 1) {
            dict.setLength(dict.length() - 2);
        } else if (shape.length == 1) {
            dict.setLength(dict.length() - 1);
        }
        dict.append("), }");
        boolean v2 = MAGIC.length + 4 + dict.length() + 1 > 65535;
        int prefix = MAGIC.length + 2 + (v2 ? 4 : 2);
        int total = (prefix + dict.length() + 1 + ALIGN - 1) / ALIGN * ALIGN;
        dict.append(" ".repeat(total - prefix - dict.length() - 1)).append('\n');
        byte[] header = dict.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer head = ByteBuffer.allocate(prefix).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            head.putInt(header.length);
        } else {
            head.putShort((short) header.length);
        }
        out.write(head.array());
        out.write(header);
        writeData(out, array);
    }

    private static void writeData(OutputStream out, NpyArray array) throws IOException {
        int n = array.size();
        int per = array.type().bytes();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        Object data = array.data();
        for (int i = 0; i < n; ) {
            buf.clear();
            int m = Math.min(n - i, CHUNK / per);
            switch (data) {
                case double[] a -> buf.asDoubleBuffer().put(a, i, m);
                case long[] a -> buf.asLongBuffer().put(a, i, m);
                case int[] a -> buf.asIntBuffer().put(a, i, m);
                default -> throw new IllegalStateException("unreachable: " + data.getClass());
            }
            out.write(buf.array(), 0, m * per);
            i += m;
        }
    }

    /** Reads the array in {@code file}. @throws NpyFormatException naming the file and field if it is malformed */
    public static NpyArray read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            NpyArray a = read(in, file.toString());
            if (in.read() >= 0) {
                throw new NpyFormatException(file.toString(), "data", "extra bytes after the "
                        + a.size() + " elements of shape " + Arrays.toString(a.shape()));
            }
            return a;
        }
    }

    /**
     * Reads one array from {@code in} (not closed), consuming exactly its bytes.
     *
     * @param source the name used in error messages, e.g. {@code "model.zip:alpha.npy"}
     * @throws NpyFormatException naming {@code source} and the field if the stream is malformed or truncated
     */
    public static NpyArray read(InputStream in, String source) throws IOException {
        byte[] magic = readFully(in, MAGIC.length + 2, source, "magic");
        for (int k = 0; k < MAGIC.length; k++) {
            if (magic[k] != MAGIC[k]) {
                throw new NpyFormatException(source, "magic", "not a NumPy .npy file (expected \\x93NUMPY)");
            }
        }
        int major = magic[6];
        if (major != 1 && major != 2) {
            throw new NpyFormatException(source, "version", "unsupported format version " + major + "." + magic[7]
                    + " (1.0 and 2.0 are supported)");
        }
        byte[] len = readFully(in, major == 1 ? 2 : 4, source, "header length");
        ByteBuffer lb = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? Short.toUnsignedInt(lb.getShort()) : Integer.toUnsignedLong(lb.getInt());
        if (headerLength > 1 << 24) {
            throw new NpyFormatException(source, "header length", "implausible header length " + headerLength);
        }
        String header = new String(readFully(in, (int) headerLength, source, "header"), StandardCharsets.ISO_8859_1);
        NpyArray.Type type = type(header, source);
        int[] shape = shape(header, source);
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException(source, "header 'shape'", count + " elements exceed a Java array");
        }
        return new NpyArray(type, shape, readData(in, type, (int) count, source));
    }

    private static NpyArray.Type type(String header, String source) throws NpyFormatException {
        Matcher d = DESCR.matcher(header);
        if (!d.find()) {
            throw new NpyFormatException(source, "header 'descr'", "missing in " + header.strip());
        }
        NpyArray.Type type = NpyArray.Type.ofDescr(d.group(1));
        if (type == null) {
            throw new NpyFormatException(source, "header 'descr'", "unsupported dtype '" + d.group(1)
                    + "' (supported: <f8, <i8, <i4)");
        }
        Matcher f = FORTRAN.matcher(header);
        if (!f.find()) {
            throw new NpyFormatException(source, "header 'fortran_order'", "missing in " + header.strip());
        }
        if (!f.group(1).equals("False")) {
            throw new NpyFormatException(source, "header 'fortran_order'", "'" + f.group(1)
                    + "' is not supported, only C order (False)");
        }
        return type;
    }

    private static int[] shape(String header, String source) throws NpyFormatException {
        Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw new NpyFormatException(source, "header 'shape'", "missing in " + header.strip());
        }
        String body = s.group(1).strip();
        if (body.isEmpty()) {
            return new int[0];
        }
        String[] parts = body.split(",");
        int count = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
        int[] shape = new int[count];
        for (int k = 0; k < count; k++) {
            try {
                shape[k] = Integer.parseInt(parts[k].strip().replaceFirst("L$", ""));
            } catch (NumberFormatException e) {
                throw new NpyFormatException(source, "header 'shape'", "'" + parts[k].strip()
                        + "' is not an extent");
            }
            if (shape[k] < 0) {
                throw new NpyFormatException(source, "header 'shape'", "negative extent " + shape[k]);
            }
        }
        return shape;
    }

    private static Object readData(InputStream in, NpyArray.Type type, int n, String source) throws IOException {
        Object data = switch (type) {
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case INT32 -> new int[n];
        };
        int per = type.bytes();
        byte[] bytes = new byte[CHUNK];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; ) {
            int m = Math.min(n - i, CHUNK / per);
            int got = in.readNBytes(bytes, 0, m * per);
            if (got < m * per) {
                throw new NpyFormatException(source, "data", "truncated: " + n + " " + type.descr()
                        + " elements expected, only " + (i + got / per) + " present");
            }
            buf.clear();
            switch (data) {
                case double[] a -> buf.asDoubleBuffer().get(a, i, m);
                case long[] a -> buf.asLongBuffer().get(a, i, m);
                case int[] a -> buf.asIntBuffer().get(a, i, m);
                default -> throw new IllegalStateException("unreachable");
            }
            i += m;
        }
        return data;
    }

    private static byte[] readFully(InputStream in, int n, String source, String field) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new NpyFormatException(source, field, "truncated: " + n + " bytes expected, "
                    + b.length + " present");
        }
        return b;
    }
}
