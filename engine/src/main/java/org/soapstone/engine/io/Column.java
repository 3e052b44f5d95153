package org.soapstone.engine.io;

import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.structure.AtomProperty;

/**
 * One entry {@code name:type:columns} of an extended-XYZ {@code Properties=} value, with the role it plays in a
 * {@link org.soapstone.engine.structure.Structure}.
 *
 * @param name the property name as written
 * @param type the value type (letter R, I, L or S)
 * @param columns the number of columns (≥ 1)
 * @param role where the values go
 */
record Column(String name, AtomProperty.Type type, int columns, Role role) {

    /** Where a column's values go. */
    enum Role {
        /** {@code species:S:1}: chemical symbols → atomic numbers */
        SPECIES,
        /** {@code Z:I:1} when there is no {@code species}: atomic numbers */
        NUMBERS,
        /** {@code pos:R:3}: positions (Å) */
        POSITIONS,
        /** {@code velo:R:3}: velocities (Å/fs) */
        VELOCITIES,
        /** {@code masses:R:1}, or {@code mass:R:1} when there is no {@code masses}: masses (amu) */
        MASSES,
        /** anything else: a per-atom property */
        PROPERTY
    }

    /** The columns of a frame whose header has no {@code Properties=}: {@code species:S:1:pos:R:3}. */
    static final String DEFAULT = "species:S:1:pos:R:3";

    /**
     * @param properties the value of {@code Properties=}
     * @return its columns in order
     * @throws BadField if it is malformed, repeats a name, has no {@code pos} or neither {@code species} nor
     *     {@code Z}, or gives a special column the wrong type or width
     */
    static List<Column> parse(String properties) {
        String[] f = properties.split(":", -1);
        if (f.length % 3 != 0) {
            throw new BadField("Properties", "'" + properties + "' is not a list of name:type:columns triplets");
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < f.length; k += 3) {
            names.add(f[k]);
        }
        boolean hasSpecies = names.contains("species");
        boolean hasMasses = names.contains("masses");
        List<Column> columns = new ArrayList<>();
        for (int k = 0; k < f.length; k += 3) {
            String name = f[k];
            if (name.isEmpty()) {
                throw new BadField("Properties", "empty property name in '" + properties + "'");
            }
            if (names.indexOf(name) != k / 3) {
                throw new BadField("Properties", "property '" + name + "' appears twice");
            }
            if (f[k + 1].length() != 1 || "RILS".indexOf(f[k + 1].charAt(0)) < 0) {
                throw new BadField("Properties", "property '" + name + "' has unknown type '" + f[k + 1]
                        + "' (expected R, I, L or S)");
            }
            AtomProperty.Type type = AtomProperty.Type.ofLetter(f[k + 1].charAt(0));
            int width;
            try {
                width = Integer.parseInt(f[k + 2]);
            } catch (NumberFormatException e) {
                width = 0;
            }
            if (width < 1) {
                throw new BadField("Properties", "property '" + name + "' has column count '" + f[k + 2]
                        + "' (expected a positive integer)");
            }
            Role role = switch (name) {
                case "species" -> Role.SPECIES;
                case "Z" -> hasSpecies ? Role.PROPERTY : Role.NUMBERS;
                case "pos" -> Role.POSITIONS;
                case "velo" -> Role.VELOCITIES;
                case "masses" -> Role.MASSES;
                case "mass" -> hasMasses ? Role.PROPERTY : Role.MASSES;
                default -> Role.PROPERTY;
            };
            Column c = new Column(name, type, width, role);
            c.checkShape();
            columns.add(c);
        }
        if (!names.contains("pos")) {
            throw new BadField("Properties", "'" + properties + "' has no 'pos' column");
        }
        if (!hasSpecies && !names.contains("Z")) {
            throw new BadField("Properties", "'" + properties + "' has neither a 'species' nor a 'Z' column");
        }
        return columns;
    }

    private void checkShape() {
        String expected = switch (role) {
            case SPECIES -> "S:1";
            case NUMBERS -> "I:1";
            case POSITIONS, VELOCITIES -> "R:3";
            case MASSES -> "R:1";
            case PROPERTY -> null;
        };
        if (expected != null && !expected.equals(type.letter() + ":" + columns)) {
            throw new BadField("Properties", "property '" + name + "' is " + type.letter() + ":" + columns
                    + ", expected " + expected);
        }
    }

    /** @return the field name of column {@code c} (0-based) for error messages */
    String field(int c) {
        return columns == 1 ? "property '" + name + "'" : "property '" + name + "' column " + (c + 1);
    }
}
