package org.soapstone.engine.structure;

import java.util.HashMap;
import java.util.Map;

/**
 * A chemical element: atomic number, symbol and standard atomic mass (amu).
 *
 * <p>Masses are the IUPAC 2016 standard atomic weights as ASE tabulates them ({@code ase.data.atomic_masses}),
 * so that a structure read from a file without masses has the masses ASE would give it.
 *
 * @param number atomic number Z (1..118)
 * @param symbol chemical symbol, e.g. "Si"
 * @param mass standard atomic mass (amu)
 */
public record Element(int number, String symbol, double mass) {

    private static final Element[] BY_NUMBER = {
        null,
        new Element(1, "H", 1.008),
        new Element(2, "He", 4.002602),
        new Element(3, "Li", 6.94),
        new Element(4, "Be", 9.0121831),
        new Element(5, "B", 10.81),
        new Element(6, "C", 12.011),
        new Element(7, "N", 14.007),
        new Element(8, "O", 15.999),
        new Element(9, "F", 18.998403163),
        new Element(10, "Ne", 20.1797),
        new Element(11, "Na", 22.98976928),
        new Element(12, "Mg", 24.305),
        new Element(13, "Al", 26.9815385),
        new Element(14, "Si", 28.085),
        new Element(15, "P", 30.973761998),
        new Element(16, "S", 32.06),
        new Element(17, "Cl", 35.45),
        new Element(18, "Ar", 39.948),
        new Element(19, "K", 39.0983),
        new Element(20, "Ca", 40.078),
        new Element(21, "Sc", 44.955908),
        new Element(22, "Ti", 47.867),
        new Element(23, "V", 50.9415),
        new Element(24, "Cr", 51.9961),
        new Element(25, "Mn", 54.938044),
        new Element(26, "Fe", 55.845),
        new Element(27, "Co", 58.933194),
        new Element(28, "Ni", 58.6934),
        new Element(29, "Cu", 63.546),
        new Element(30, "Zn", 65.38),
        new Element(31, "Ga", 69.723),
        new Element(32, "Ge", 72.63),
        new Element(33, "As", 74.921595),
        new Element(34, "Se", 78.971),
        new Element(35, "Br", 79.904),
        new Element(36, "Kr", 83.798),
        new Element(37, "Rb", 85.4678),
        new Element(38, "Sr", 87.62),
        new Element(39, "Y", 88.90584),
        new Element(40, "Zr", 91.224),
        new Element(41, "Nb", 92.90637),
        new Element(42, "Mo", 95.95),
        new Element(43, "Tc", 97.90721),
        new Element(44, "Ru", 101.07),
        new Element(45, "Rh", 102.9055),
        new Element(46, "Pd", 106.42),
        new Element(47, "Ag", 107.8682),
        new Element(48, "Cd", 112.414),
        new Element(49, "In", 114.818),
        new Element(50, "Sn", 118.71),
        new Element(51, "Sb", 121.76),
        new Element(52, "Te", 127.6),
        new Element(53, "I", 126.90447),
        new Element(54, "Xe", 131.293),
        new Element(55, "Cs", 132.90545196),
        new Element(56, "Ba", 137.327),
        new Element(57, "La", 138.90547),
        new Element(58, "Ce", 140.116),
        new Element(59, "Pr", 140.90766),
        new Element(60, "Nd", 144.242),
        new Element(61, "Pm", 144.91276),
        new Element(62, "Sm", 150.36),
        new Element(63, "Eu", 151.964),
        new Element(64, "Gd", 157.25),
        new Element(65, "Tb", 158.92535),
        new Element(66, "Dy", 162.5),
        new Element(67, "Ho", 164.93033),
        new Element(68, "Er", 167.259),
        new Element(69, "Tm", 168.93422),
        new Element(70, "Yb", 173.054),
        new Element(71, "Lu", 174.9668),
        new Element(72, "Hf", 178.49),
        new Element(73, "Ta", 180.94788),
        new Element(74, "W", 183.84),
        new Element(75, "Re", 186.207),
        new Element(76, "Os", 190.23),
        new Element(77, "Ir", 192.217),
        new Element(78, "Pt", 195.084),
        new Element(79, "Au", 196.966569),
        new Element(80, "Hg", 200.592),
        new Element(81, "Tl", 204.38),
        new Element(82, "Pb", 207.2),
        new Element(83, "Bi", 208.9804),
        new Element(84, "Po", 208.98243),
        new Element(85, "At", 209.98715),
        new Element(86, "Rn", 222.01758),
        new Element(87, "Fr", 223.01974),
        new Element(88, "Ra", 226.02541),
        new Element(89, "Ac", 227.02775),
        new Element(90, "Th", 232.0377),
        new Element(91, "Pa", 231.03588),
        new Element(92, "U", 238.02891),
        new Element(93, "Np", 237.04817),
        new Element(94, "Pu", 244.06421),
        new Element(95, "Am", 243.06138),
        new Element(96, "Cm", 247.07035),
        new Element(97, "Bk", 247.07031),
        new Element(98, "Cf", 251.07959),
        new Element(99, "Es", 252.083),
        new Element(100, "Fm", 257.09511),
        new Element(101, "Md", 258.09843),
        new Element(102, "No", 259.101),
        new Element(103, "Lr", 262.11),
        new Element(104, "Rf", 267.122),
        new Element(105, "Db", 268.126),
        new Element(106, "Sg", 271.134),
        new Element(107, "Bh", 270.133),
        new Element(108, "Hs", 269.1338),
        new Element(109, "Mt", 278.156),
        new Element(110, "Ds", 281.165),
        new Element(111, "Rg", 281.166),
        new Element(112, "Cn", 285.177),
        new Element(113, "Nh", 286.182),
        new Element(114, "Fl", 289.19),
        new Element(115, "Mc", 289.194),
        new Element(116, "Lv", 293.204),
        new Element(117, "Ts", 293.208),
        new Element(118, "Og", 294.214),
    };

    private static final Map<String, Element> BY_SYMBOL = new HashMap<>();

    static {
        for (int z = 1; z < BY_NUMBER.length; z++) {
            BY_SYMBOL.put(BY_NUMBER[z].symbol, BY_NUMBER[z]);
        }
    }

    /**
     * @param number atomic number
     * @return the element with that atomic number
     * @throws IllegalArgumentException if there is none
     */
    public static Element of(int number) {
        if (number < 1 || number >= BY_NUMBER.length) {
            throw new IllegalArgumentException("no element with atomic number " + number);
        }
        return BY_NUMBER[number];
    }

    /**
     * @param symbol chemical symbol, case-sensitive as in the periodic table ("Si", not "SI")
     * @return the element with that symbol
     * @throws IllegalArgumentException if there is none
     */
    public static Element of(String symbol) {
        Element e = BY_SYMBOL.get(symbol);
        if (e == null) {
            throw new IllegalArgumentException("unknown chemical symbol '" + symbol + "'");
        }
        return e;
    }

    /** @return true if {@code symbol} names an element */
    public static boolean isSymbol(String symbol) {
        return BY_SYMBOL.containsKey(symbol);
    }
}
