package org.soapstone.potentials.quip;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * QUIP's Glue potential ({@code IP Glue}, {@code IPModel_Glue.f95}) from its {@code Glue_params} XML: an
 * embedded-atom form with tabulated functions,
 * <pre>  E = Σ_i [F_{t_i}(ρ_i) + ½ Σ_j φ_{t_i t_j}(r_ij)],   ρ_i = Σ_j ρ_{t_j}(r_ij)</pre>
 * — the tabulated pair potential gap_fit users take as a core ({@code core_ip_args={IP Glue}}, e.g. an r⁻⁶ or
 * repulsive pair table, with zero density and embedding) and QUIP's EAM. Per type ({@code per_type_data}):
 * the density {@code density} as points (a, ρ) — by default a least-squares c·(a_max − r)³ fitted to them
 * ({@code do_spline=F}), or their spline ({@code do_spline=T}, end slopes {@code density_y1},
 * {@code density_yn}) — cut off at the last point a_max; the embedding {@code potential_density} as points (ρ, E),
 * a natural spline unless {@code y1}/{@code yn} are given. Per pair ({@code per_pair_data type1 type2}):
 * {@code potential_pair} as points (r, E), a spline with end slopes {@code y1}, {@code yn} (default 0), cut off
 * at its last point. Splines are libAtoms' ({@link QuipSpline}, linear beyond their ends). Atoms of species not
 * listed are ignored, as QUIP ignores them. Units eV, Å.
 */
public final class Glue implements Calculator {
    private static final Set<Property> IMPLEMENTED = EnumSet.allOf(Property.class);

    private final String source;
    private final int[] typeOfZ;
    private final QuipSpline[] density;
    private final boolean[] densitySpline;
    private final double[] densityPoly;
    private final QuipSpline[] embedding;
    private final QuipSpline[] pair;
    private final double cutoff;
    private final int n;

    private Glue(String source, List<Element> species, QuipSpline[] density, boolean[] densitySpline,
            QuipSpline[] embedding, QuipSpline[] pair) {
        this.source = source;
        this.n = species.size();
        int max = species.stream().mapToInt(Element::number).max().orElse(0);
        typeOfZ = new int[max + 1];
        java.util.Arrays.fill(typeOfZ, -1);
        for (int t = 0; t < n; t++) {
            typeOfZ[species.get(t).number()] = t;
        }
        this.density = density;
        this.densitySpline = densitySpline;
        this.embedding = embedding;
        this.pair = pair;
        densityPoly = new double[n];
        double c = 0;
        for (int t = 0; t < n; t++) {
            double[] a = density[t].knots();
            double[] rho = density[t].values();
            double top = density[t].maxKnot();
            double num = 0;
            double den = 0;
            for (int k = 0; k < a.length; k++) {
                double w = Math.pow(top - a[k], 3);
                num += rho[k] * w;
                den += w * w;
            }
            densityPoly[t] = num / den;
            c = Math.max(c, top);
            for (int u = 0; u < n; u++) {
                if (pair[t * n + u] != null) {
                    c = Math.max(c, pair[t * n + u].maxKnot());
                }
            }
        }
        this.cutoff = c;
    }

    /**
     * @param p the parameter file
     * @param label the {@code label=} argument, "" for none
     * @throws IllegalArgumentException naming the element of a missing or bad table
     */
    static Glue of(QuipParameters p, String label) {
        org.w3c.dom.Element root = p.potential("Glue_params", label);
        List<Element> species = QuipLennardJones.types(p, root, "Glue_params");
        int n = species.size();
        QuipSpline[] density = new QuipSpline[n];
        boolean[] densitySpline = new boolean[n];
        QuipSpline[] embedding = new QuipSpline[n];
        QuipSpline[] pair = new QuipSpline[n * n];
        for (org.w3c.dom.Element type : QuipParameters.children(root, "per_type_data")) {
            int t = QuipLennardJones.type(p, type, "type", n);
            for (org.w3c.dom.Element d : QuipParameters.children(type, "density")) {
                densitySpline[t] = p.logical(d, "do_spline", false);
                density[t] = spline(p, d, "a", "rho", p.real(d, "density_y1"), p.real(d, "density_yn"));
            }
            for (org.w3c.dom.Element e : QuipParameters.children(type, "potential_density")) {
                embedding[t] = spline(p, e, "rho", "E", p.real(e, "y1", 2.0e30), p.real(e, "yn", 2.0e30));
            }
            if (!QuipParameters.children(type, "potential_neighbours").isEmpty()) {
                throw new IllegalArgumentException(p.where(type) + ": potential_neighbours is not supported; give "
                        + "the embedding as potential_density");
            }
            if (density[t] == null || embedding[t] == null) {
                throw new IllegalArgumentException(p.where(type) + ": needs a <density> and a <potential_density> "
                        + "(QUIP requires both for every type)");
            }
        }
        for (org.w3c.dom.Element pp : QuipParameters.children(root, "per_pair_data")) {
            int a = QuipLennardJones.type(p, pp, "type1", n);
            int b = QuipLennardJones.type(p, pp, "type2", n);
            for (org.w3c.dom.Element e : QuipParameters.children(pp, "potential_pair")) {
                QuipSpline s = spline(p, e, "r", "E", p.real(e, "y1", 0.0), p.real(e, "yn", 0.0));
                pair[a * n + b] = s;
                pair[b * n + a] = s;
            }
        }
        return new Glue(p.source() + " Glue_params", species, density, densitySpline, embedding, pair);
    }

    /** A spline through the {@code point} children's (xName, yName) attributes, checked against num_points. */
    private static QuipSpline spline(QuipParameters p, org.w3c.dom.Element table, String xName, String yName,
            double yp1, double ypn) {
        List<org.w3c.dom.Element> points = QuipParameters.children(table, "point");
        int count = p.integer(table, "num_points");
        if (points.size() != count) {
            throw new IllegalArgumentException(p.where(table) + ": num_points=" + count + " but " + points.size()
                    + " <point> elements");
        }
        double[] x = new double[count];
        double[] y = new double[count];
        for (int k = 0; k < count; k++) {
            x[k] = p.real(points.get(k), xName);
            y[k] = p.real(points.get(k), yName);
        }
        try {
            return new QuipSpline(x, y, yp1, ypn);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p.where(table) + ": " + e.getMessage(), e);
        }
    }

    /** @return the largest density or pair cutoff (Å) */
    public double cutoff() {
        return cutoff;
    }

    @Override
    public Set<Property> implementedProperties() {
        return IMPLEMENTED;
    }

    private int type(int z) {
        return z < typeOfZ.length ? typeOfZ[z] : -1;
    }

    private double rho(int t, double r) {
        double top = density[t].maxKnot();
        if (r >= top) {
            return 0;
        }
        if (densitySpline[t]) {
            return density[t].value(r);
        }
        double x = top - r;
        return densityPoly[t] * x * x * x;
    }

    private double rhoDerivative(int t, double r) {
        double top = density[t].maxKnot();
        if (r >= top) {
            return 0;
        }
        if (densitySpline[t]) {
            return density[t].derivative(r);
        }
        double x = top - r;
        return -3.0 * densityPoly[t] * x * x;
    }

    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        checkRequested(requested);
        int atoms = structure.size();
        results.reset(atoms);
        NeighbourList nl = NeighbourList.build(structure, cutoff, true);
        int[] z = structure.numbers();
        double[] rhoSum = new double[atoms];
        for (int i = 0; i < atoms; i++) {
            if (type(z[i]) < 0) {
                continue;
            }
            for (int q = nl.first[i]; q < nl.first[i + 1]; q++) {
                int tj = type(z[nl.neighbour[q]]);
                if (tj >= 0) {
                    rhoSum[i] += rho(tj, nl.distance[q]);
                }
            }
        }
        double energy = 0;
        double[] f = results.forces;
        double[] w = new double[9];
        for (int i = 0; i < atoms; i++) {
            int ti = type(z[i]);
            if (ti < 0) {
                continue;
            }
            double dF = embedding[ti].derivative(rhoSum[i]);
            double local = 0;
            for (int q = nl.first[i]; q < nl.first[i + 1]; q++) {
                int j = nl.neighbour[q];
                int tj = type(z[j]);
                if (tj < 0) {
                    continue;
                }
                double r = nl.distance[q];
                double dEdr = dF * rhoDerivative(tj, r);
                QuipSpline phi = pair[ti * n + tj];
                if (phi != null && r < phi.maxKnot()) {
                    local += 0.5 * phi.value(r);
                    dEdr += 0.5 * phi.derivative(r);
                }
                if (dEdr == 0) {
                    continue;
                }
                for (int k = 0; k < 3; k++) {
                    double d = nl.vector[3 * q + k];
                    double g = dEdr * d / r;
                    f[3 * i + k] += g;
                    f[3 * j + k] -= g;
                    for (int a = 0; a < 3; a++) {
                        w[3 * a + k] += nl.vector[3 * q + a] * g;
                    }
                }
            }
            local += embedding[ti].value(rhoSum[i]);
            results.energies[i] = local;
            energy += local;
        }
        results.energy = energy;
        EnumSet<Property> done = EnumSet.of(Property.ENERGY, Property.FORCES, Property.ENERGIES);
        if (structure.cell().hasVolume()) {
            double[] voigt = CalculationResults.matrixToVoigt(w, 1 / structure.volume());
            System.arraycopy(voigt, 0, results.stress, 0, 6);
            done.add(Property.STRESS);
        }
        results.markComputed(done);
    }

    @Override
    public String toString() {
        return "Glue(" + source + ")";
    }
}
