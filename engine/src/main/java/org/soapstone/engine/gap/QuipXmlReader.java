package org.soapstone.engine.gap;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.descriptor.DescriptorStringException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads gap_fit's XML (the layout {@code gpCoordinates_printXML} and {@code gap_fit}'s {@code GAP_params} writer
 * produce, read back by QUIP's {@code IPModel_GAP_read_params_xml} and {@code gpCoordinates_startElement_handler}).
 * The descriptor strings are parsed with {@code xml_version=<gap_version>} appended, as QUIP does, so that
 * version-dependent defaults follow the model.
 */
final class QuipXmlReader {
    /** QUIP's {@code COVARIANCE_ARD_SE} and {@code COVARIANCE_DOT_PRODUCT}. */
    static final int QUIP_ARD_SE = 1;
    static final int QUIP_DOT_PRODUCT = 2;

    private QuipXmlReader() {}

    static GapModel read(Path xml) throws IOException {
        Document doc = parse(xml);
        Element params = only(xml, doc.getDocumentElement(), "GAP_params");
        String label = attribute(xml, params, "GAP_params", "label");
        int version = integer(xml, params, "GAP_params", "gap_version");
        Element data = only(xml, params, "GAP_data");
        Baseline.QuipCore core = data.getAttribute("do_core").strip().equalsIgnoreCase("T") ? core(xml, doc, label)
                : null;
        double[] e0 = new double[GapModel.MAX_Z + 1];
        for (Element e : children(data, "e0")) {
            int z = integer(xml, e, "e0", "Z");
            if (z < 1 || z > GapModel.MAX_Z) {
                throw new GapFormatException(xml, "e0 Z=\"" + z + "\"", "Z must be 1.." + GapModel.MAX_Z);
            }
            e0[z] = real(xml, e, "e0 Z=\"" + z + "\"", "value");
        }
        Element sparse = only(xml, params, "gpSparse");
        List<GapTerm> terms = new ArrayList<>();
        for (Element c : children(sparse, "gpCoordinates")) {
            terms.add(term(xml, c, version));
        }
        String n = sparse.getAttribute("n_coordinate").strip();
        if (terms.isEmpty() || (!n.isEmpty() && !n.equals(Integer.toString(terms.size())))) {
            throw new GapFormatException(xml, "gpSparse", "n_coordinate=\"" + n + "\" but " + terms.size()
                    + " gpCoordinates elements");
        }
        GapModel model;
        try {
            model = new GapModel(label, version, e0, terms, null, null, core);
        } catch (IllegalArgumentException e) {
            throw new GapFormatException(xml, "GAP_params", e.getMessage(), e);
        }
        Path exported = QuipExportedCovariance.file(xml, sparse.getAttribute("label").strip());
        if (!Files.isRegularFile(exported)) {
            return model;
        }
        NodeList line = doc.getElementsByTagName("command_line");
        double jitter = QuipExportedCovariance.jitter(line.getLength() > 0 ? line.item(0).getTextContent() : "");
        return new GapModel(label, version, e0, terms, QuipExportedCovariance.posterior(model, exported, jitter), null,
                core);
    }

    /**
     * gap_fit's core potential ({@code do_core=T}): the {@code Potential} element's
     * {@code init_args="Sum init_args_pot1={CORE} init_args_pot2={IP GAP label=…}"} and, as its parameters, every
     * element beside {@code Potential} and {@code GAP_params} (gap_fit copies {@code core_param_file} there).
     */
    private static Baseline.QuipCore core(Path xml, Document doc, String label) throws GapFormatException {
        Element root = doc.getDocumentElement();
        String args = null;
        StringBuilder parameters = new StringBuilder();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            if (e.getTagName().equals("Potential")) {
                if (args != null) {
                    throw new GapFormatException(xml, "Potential", "more than one <Potential> element");
                }
                args = e.getAttribute("init_args").strip();
            } else if (!e.getTagName().equals("GAP_params")) {
                parameters.append(serialise(e)).append('\n');
            }
        }
        if (args == null) {
            throw new GapFormatException(xml, "GAP_data", "do_core=T but no <Potential init_args=\"Sum …\"> names "
                    + "the core potential");
        }
        String core = sumMember(args, "init_args_pot1");
        String gap = sumMember(args, "init_args_pot2");
        if (!args.startsWith("Sum") || core == null || gap == null
                || !gap.replaceAll("\\s+", " ").equals("IP GAP label=" + label)) {
            throw new GapFormatException(xml, "Potential init_args=\"" + args + "\"", "do_core=T needs init_args="
                    + "\"Sum init_args_pot1={<core potential>} init_args_pot2={IP GAP label=" + label + "}\", as "
                    + "gap_fit writes it");
        }
        try {
            return new Baseline.QuipCore(core, parameters.toString());
        } catch (IllegalArgumentException e) {
            throw new GapFormatException(xml, "Potential", e.getMessage(), e);
        }
    }

    /**
     * @return the value in braces of the top-level {@code key={…}} in QUIP arguments (braces may nest, and the value
     *     may itself hold the same key), or null
     */
    static String sumMember(String args, String key) {
        String open = key + "={";
        int depth = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (depth == 0 && args.startsWith(open, i) && (i == 0 || Character.isWhitespace(args.charAt(i - 1)))) {
                int start = i + open.length();
                int inner = 1;
                for (int j = start; j < args.length(); j++) {
                    char d = args.charAt(j);
                    if (d == '{') {
                        inner++;
                    } else if (d == '}' && --inner == 0) {
                        return args.substring(start, j).strip();
                    }
                }
                return null;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
        }
        return null;
    }

    private static String serialise(Element e) {
        try {
            javax.xml.transform.Transformer t = javax.xml.transform.TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
            java.io.StringWriter w = new java.io.StringWriter();
            t.transform(new javax.xml.transform.dom.DOMSource(e), new javax.xml.transform.stream.StreamResult(w));
            return w.toString();
        } catch (javax.xml.transform.TransformerException x) {
            throw new IllegalStateException(x);
        }
    }

    private static Document parse(Path xml) throws IOException {
        if (!Files.isRegularFile(xml)) {
            throw new NoSuchFileException(xml.toString(), null, "GAP model XML not found");
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setExpandEntityReferences(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // report by exception only, not on stderr
            return builder.parse(xml.toFile());
        } catch (SAXException e) {
            throw new GapFormatException(xml, "document", "malformed XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GapTerm term(Path xml, Element c, int version) throws IOException {
        String label = c.getAttribute("label");
        String where = "gpCoordinates label=\"" + label + "\"";
        if (!c.getAttribute("sparsified").strip().equalsIgnoreCase("T")) {
            throw new GapFormatException(xml, where, "sparsified=\"" + c.getAttribute("sparsified")
                    + "\": only sparse GP coordinates can be used for prediction");
        }
        int d = integer(xml, c, where, "dimensions");
        int m = integer(xml, c, where, "n_sparseX");
        double delta = real(xml, c, where, "signal_variance");
        double f0 = real(xml, c, where, "signal_mean");
        int nPerm = integer(xml, c, where, "n_permutations");
        int quipType = integer(xml, c, where, "covariance_type");
        CovarianceType type = switch (quipType) {
            case QUIP_ARD_SE -> CovarianceType.ARD_SE;
            case QUIP_DOT_PRODUCT -> CovarianceType.DOT_PRODUCT;
            default -> throw new GapFormatException(xml, where, "covariance_type=" + quipType + " is not supported;"
                    + " 1 (ard_se) and 2 (dot_product) are");
        };
        double zeta = type == CovarianceType.DOT_PRODUCT ? real(xml, c, where, "zeta") : 0;
        double[] theta = new double[0];
        if (type == CovarianceType.ARD_SE) {
            theta = reals(xml, only(xml, c, "theta").getTextContent(), where + "/theta");
        }
        String text = only(xml, c, "descriptor").getTextContent().strip();
        DescriptorSpec spec;
        try {
            spec = DescriptorString.parse(text + " xml_version=" + version);
        } catch (DescriptorStringException e) {
            throw new GapFormatException(xml, where + "/descriptor", "'" + text + "': " + e.getMessage(), e);
        }
        int specDim = spec.create().dimension();
        if (specDim != d) {
            throw new GapFormatException(xml, where, "dimensions=" + d + " but the descriptor '" + text + "' has "
                    + specDim);
        }
        double[] alpha = new double[m];
        double[] cutoffs = new double[m];
        List<Element> points = children(c, "sparseX");
        if (points.size() != m) {
            throw new GapFormatException(xml, where, "n_sparseX=" + m + " but " + points.size()
                    + " sparseX elements");
        }
        for (Element p : points) {
            int i = integer(xml, p, where + "/sparseX", "i");
            String pw = where + "/sparseX i=\"" + i + "\"";
            if (i < 1 || i > m) {
                throw new GapFormatException(xml, pw, "i must be 1.." + m);
            }
            alpha[i - 1] = real(xml, p, pw, "alpha");
            cutoffs[i - 1] = real(xml, p, pw, "sparseCutoff");
        }
        String file = c.getAttribute("sparseX_filename").strip();
        if (file.isEmpty()) {
            throw new GapFormatException(xml, where, "no sparseX_filename: sparse points inside the XML are not "
                    + "supported; write them to a sparseX file (gap_fit's default)");
        }
        Path sparseFile = xml.toAbsolutePath().getParent().resolve(file);
        double[] sparseX = readSparseX(xml, where, sparseFile, m * d, c.getAttribute("sparseX_md5sum").strip());
        GapTerm term;
        try {
            term = new GapTerm(label, spec, type, delta, f0, zeta, theta, sparseX, alpha, cutoffs);
        } catch (IllegalArgumentException e) {
            throw new GapFormatException(xml, where, e.getMessage(), e);
        }
        if (type != CovarianceType.ARD_SE) {
            return term;
        }
        int[][] perms = permutations(xml, c, where, nPerm, d);
        checkPermutations(xml, where, perms, term.permutations());
        if (perms.length == 1) {
            return term;
        }
        // QUIP symmetrises θ over the permutations when it reads them (gpCoordinates_setPermutations)
        double[] symmetric = new double[d];
        for (int[] p : perms) {
            for (int k = 0; k < d; k++) {
                symmetric[k] += theta[p[k]];
            }
        }
        for (int k = 0; k < d; k++) {
            symmetric[k] /= perms.length;
        }
        return new GapTerm(label, spec, type, delta, f0, zeta, symmetric, sparseX, alpha, cutoffs);
    }

    /** The {@code permutation} elements of an ard_se coordinate, 0-based, in order. */
    private static int[][] permutations(Path xml, Element c, String where, int n, int d) throws GapFormatException {
        List<Element> elements = children(c, "permutation");
        if (elements.size() != n) {
            throw new GapFormatException(xml, where, "n_permutations=" + n + " but " + elements.size()
                    + " permutation elements");
        }
        int[][] perms = new int[n][];
        for (Element e : elements) {
            int i = integer(xml, e, where + "/permutation", "i");
            String pw = where + "/permutation i=\"" + i + "\"";
            if (i < 1 || i > n || perms[i - 1] != null) {
                throw new GapFormatException(xml, pw, "i must be 1.." + n + ", each once");
            }
            double[] v = reals(xml, e.getTextContent(), pw);
            if (v.length != d) {
                throw new GapFormatException(xml, pw, v.length + " entries, the descriptor has " + d + " components");
            }
            perms[i - 1] = new int[d];
            for (int k = 0; k < d; k++) {
                perms[i - 1][k] = (int) v[k] - 1;
            }
        }
        return perms;
    }

    /** The XML's permutations must be the descriptor's (in any order): Soapstone derives them from the descriptor. */
    private static void checkPermutations(Path xml, String where, int[][] file, int[][] derived)
            throws GapFormatException {
        java.util.Set<String> a = new java.util.TreeSet<>();
        java.util.Set<String> b = new java.util.TreeSet<>();
        for (int[] p : file) {
            a.add(java.util.Arrays.toString(p));
        }
        for (int[] p : derived) {
            b.add(java.util.Arrays.toString(p));
        }
        if (!a.equals(b) || file.length != derived.length) {
            throw new GapFormatException(xml, where, "the permutation elements " + a + " (0-based) are not the "
                    + "descriptor's " + b);
        }
    }

    /** Reads gap_fit's sparseX file: one value per line, sparse point after sparse point. */
    private static double[] readSparseX(Path xml, String where, Path file, int count, String md5)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new GapFormatException(xml, where, "sparseX file " + file + " does not exist");
        }
        double[] v = new double[count];
        int line = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String s; (s = r.readLine()) != null; ) {
                s = s.strip();
                if (s.isEmpty()) {
                    continue;
                }
                if (line >= count) {
                    throw new GapFormatException(file, where, "line " + (line + 1) + ": more than the " + count
                            + " values (n_sparseX × dimensions) the XML " + xml.getFileName() + " declares");
                }
                try {
                    v[line++] = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new GapFormatException(file, where, "line " + line + ": '" + s + "' is not a number", e);
                }
            }
        }
        if (line != count) {
            throw new GapFormatException(file, where, "truncated: " + line + " values, but the XML "
                    + xml.getFileName() + " declares " + count + " (n_sparseX × dimensions)");
        }
        if (!md5.isEmpty() && !md5.equalsIgnoreCase(md5(file))) {
            throw new GapFormatException(file, where, "md5 sum " + md5(file) + " does not match sparseX_md5sum "
                    + md5 + " in " + xml.getFileName() + " (file altered or truncated)");
        }
        return v;
    }

    static String md5(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element only(Path xml, Element parent, String name) throws GapFormatException {
        List<Element> c = children(parent, name);
        if (c.size() != 1) {
            throw new GapFormatException(xml, parent.getTagName(), (c.isEmpty() ? "no " : c.size() + " ")
                    + "<" + name + "> elements; expected exactly one");
        }
        return c.get(0);
    }

    private static String attribute(Path xml, Element e, String where, String name) throws GapFormatException {
        if (!e.hasAttribute(name)) {
            throw new GapFormatException(xml, where, "attribute " + name + " is missing");
        }
        return e.getAttribute(name).strip();
    }

    private static int integer(Path xml, Element e, String where, String name) throws GapFormatException {
        String s = attribute(xml, e, where, name);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException ex) {
            throw new GapFormatException(xml, where, name + "=\"" + s + "\" is not an integer", ex);
        }
    }

    private static double real(Path xml, Element e, String where, String name) throws GapFormatException {
        String s = attribute(xml, e, where, name);
        try {
            return parseFortran(s);
        } catch (NumberFormatException ex) {
            throw new GapFormatException(xml, where, name + "=\"" + s + "\" is not a number", ex);
        }
    }

    private static double[] reals(Path xml, String text, String where) throws GapFormatException {
        String[] parts = text.strip().split("\\s+");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = parseFortran(parts[i]);
            } catch (NumberFormatException ex) {
                throw new GapFormatException(xml, where, "'" + parts[i] + "' is not a number", ex);
            }
        }
        return v;
    }

    /** Parses Fortran's real output, which may use D exponents ({@code 0.1D+01}). */
    private static double parseFortran(String s) {
        return Double.parseDouble(s.replace('D', 'E').replace('d', 'e'));
    }
}
