package org.soapstone.engine.io;

import java.util.Map;
import java.util.Set;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * Formats one {@link Structure} as an extended-XYZ frame (layout in {@link ExtXyz}). Every real is written in
 * Java's shortest round-trip form, so reading the frame back gives bit-identical values. The whole frame is
 * checked before any text is produced, so a structure that cannot be written leaves nothing half-written.
 */
final class FrameFormatter {
    private static final Set<String> RESERVED_KEYS = Set.of("Lattice", "Properties", "pbc");
    private static final Set<String> RESERVED_PROPERTIES = Set.of("species", "pos", "velo", "masses");

    private FrameFormatter() {}

    /**
     * Appends the frame (atom count line, header line, one line per atom, each ending in {@code \n}) to
     * {@code out}.
     *
     * @throws IllegalArgumentException if a name or value cannot be written so that it reads back the same: an
     *     property name with a blank or special character, a reserved name, a line break, a per-atom
     *     string that is empty or has blanks, an info value of unsupported type
     */
    static void format(Structure s, StringBuilder out) {
        int n = s.size();
        Map<String, AtomProperty> properties = s.properties();
        boolean writeMasses = properties.containsKey("mass") || !standardMasses(s);
        StringBuilder header = new StringBuilder();
        Cell cell = s.cell();
        double[] h = cell.matrix();
        if (cell.anyPeriodic() || !allZero(h)) {
            header.append("Lattice=\"");
            for (int k = 0; k < 9; k++) {
                header.append(k == 0 ? "" : " ").append(h[k]);
            }
            header.append("\" ");
        }
        header.append("Properties=species:S:1:pos:R:3");
        if (s.velocities() != null) {
            header.append(":velo:R:3");
        }
        if (writeMasses) {
            header.append(":masses:R:1");
        }
        for (Map.Entry<String, AtomProperty> e : properties.entrySet()) {
            String name = e.getKey();
            AtomProperty p = e.getValue();
            checkName(name);
            if (RESERVED_PROPERTIES.contains(name)) {
                throw new IllegalArgumentException("property '" + name + "' would clash with the column of the "
                        + "same name the writer produces");
            }
            if (p.atoms() != n) {
                throw new IllegalArgumentException("property '" + name + "' covers " + p.atoms() + " atoms, the "
                        + "structure has " + n);
            }
            if (p.data() instanceof String[] strings) {
                for (String v : strings) {
                    if (v.isEmpty() || v.chars().anyMatch(c -> c <= ' ')) {
                        throw new IllegalArgumentException("property '" + name + "' has a value that is empty or "
                                + "contains blanks: '" + v + "'");
                    }
                }
            }
            header.append(':').append(name).append(':').append(p.type().letter()).append(':').append(p.columns());
        }
        for (Map.Entry<String, Object> e : s.info().entrySet()) {
            String key = e.getKey();
            if (RESERVED_KEYS.contains(key)) {
                throw new IllegalArgumentException("info key '" + key + "' is reserved for the writer");
            }
            header.append(' ').append(InfoValues.quote(key, key)).append('=').append(InfoValues.format(key, e.getValue()));
        }
        header.append(" pbc=\"").append(cell.periodic(0) ? 'T' : 'F').append(' ')
                .append(cell.periodic(1) ? 'T' : 'F').append(' ').append(cell.periodic(2) ? 'T' : 'F').append('"');

        out.append(n).append('\n').append(header).append('\n');
        double[] r = s.positions();
        double[] v = s.velocities();
        double[] m = s.masses();
        for (int i = 0; i < n; i++) {
            out.append(s.symbol(i));
            for (int d = 0; d < 3; d++) {
                out.append(' ').append(r[3 * i + d]);
            }
            if (v != null) {
                for (int d = 0; d < 3; d++) {
                    out.append(' ').append(v[3 * i + d]);
                }
            }
            if (writeMasses) {
                out.append(' ').append(m[i]);
            }
            for (AtomProperty p : properties.values()) {
                appendValues(p, i, out);
            }
            out.append('\n');
        }
    }

    private static void appendValues(AtomProperty p, int atom, StringBuilder out) {
        int from = atom * p.columns();
        int to = from + p.columns();
        switch (p.data()) {
            case double[] d -> {
                for (int k = from; k < to; k++) {
                    out.append(' ').append(d[k]);
                }
            }
            case long[] l -> {
                for (int k = from; k < to; k++) {
                    out.append(' ').append(l[k]);
                }
            }
            case boolean[] b -> {
                for (int k = from; k < to; k++) {
                    out.append(' ').append(b[k] ? 'T' : 'F');
                }
            }
            case String[] t -> {
                for (int k = from; k < to; k++) {
                    out.append(' ').append(t[k]);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static boolean standardMasses(Structure s) {
        int[] z = s.numbers();
        double[] m = s.masses();
        for (int i = 0; i < z.length; i++) {
            if (Double.doubleToLongBits(m[i]) != Double.doubleToLongBits(Element.of(z[i]).mass())) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(double[] h) {
        for (double x : h) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty property name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || "\"'{}[]=,\\:".indexOf(c) >= 0) {
                throw new IllegalArgumentException("property '" + name + "' contains '" + c
                        + "' (blanks, quotes, brackets, = , \\ and : are not allowed)");
            }
        }
    }
}
