package org.soapstone.engine.descriptor;

import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;

/**
 * QUIP's {@code distance_2b} descriptor ({@code distance_2b_calc} in GAP's {@code descriptors.f95}): one
 * instance per <em>ordered</em> pair (i, j) with r_ij &lt; r_c whose species match {@code Z1}, {@code Z2} in either
 * orientation — so each bond appears twice, once from each end, as in QUIP's full-list loop. The vector is
 * (r^{p_1}, …) with r in Å (QUIP's default: just r), the cutoff weight is f_c(r), the cosine cutoff of width
 * {@code cutoff_transition_width}. Gradient entries: the centre i (∂r/∂r_i = −r̂_ij), then the neighbour j
 * (+r̂_ij), whose offset is the pair vector r_j + n·H − r_i.
 */
public final class Distance2bDescriptor implements Descriptor {
    private final Distance2bParameters params;
    private final double[] exponents;
    private final CosineCutoff cutoffFunction;

    /** @param params the validated parameters */
    public Distance2bDescriptor(Distance2bParameters params) {
        this.params = params;
        this.exponents = params.exponents();
        this.cutoffFunction = new CosineCutoff(params.cutoff(), params.cutoffTransitionWidth());
    }

    /** @return the parameters */
    public Distance2bParameters parameters() {
        return params;
    }

    @Override
    public int dimension() {
        return exponents.length;
    }

    @Override
    public double cutoff() {
        return params.cutoff();
    }

    @Override
    public boolean supportsGradients() {
        return true;
    }

    @Override
    public DescriptorOutput newOutput() {
        return new DescriptorOutput(exponents.length, null);
    }

    @Override
    public void compute(Structure structure, NeighbourList neighbours, int fromAtom, int toAtom, boolean gradients,
            DescriptorOutput out) {
        if (out.dimension() != exponents.length || out.workspace != null) {
            throw new IllegalArgumentException("output was not made by this descriptor's newOutput()");
        }
        FullList.require("distance_2b", neighbours, params.cutoff());
        out.reset(gradients);
        int[] z = structure.numbers();
        int dim = exponents.length;
        double rc = params.cutoff();
        for (int i = fromAtom; i < toAtom; i++) {
            for (int p = neighbours.first[i]; p < neighbours.first[i + 1]; p++) {
                double r = neighbours.distance[p];
                int j = neighbours.neighbour[p];
                if (r >= rc || !params.matches(z[i], z[j])) {
                    continue;
                }
                int inst = out.add(i, 2);
                double[] v = out.values();
                for (int e = 0; e < dim; e++) {
                    v[inst * dim + e] = Math.pow(r, exponents[e]);
                }
                out.setCutoffWeight(inst, cutoffFunction.value(r));
                if (!gradients) {
                    continue;
                }
                double dx = neighbours.vector[3 * p], dy = neighbours.vector[3 * p + 1];
                double dz = neighbours.vector[3 * p + 2];
                int e0 = out.gradientStart(inst);
                out.setEntry(e0, i, 0, 0, 0);
                out.setEntry(e0 + 1, j, dx, dy, dz);
                double[] g = out.gradients();
                double[] wg = out.cutoffWeightGradients();
                double dfc = cutoffFunction.derivative(r);
                for (int k = 0; k < 3; k++) {
                    double uk = (k == 0 ? dx : k == 1 ? dy : dz) / r;
                    for (int e = 0; e < dim; e++) {
                        double d = exponents[e] * Math.pow(r, exponents[e] - 1) * uk;
                        g[(3 * e0 + k) * dim + e] = -d;
                        g[(3 * (e0 + 1) + k) * dim + e] = d;
                    }
                    wg[3 * e0 + k] = -dfc * uk;
                    wg[3 * (e0 + 1) + k] = dfc * uk;
                }
            }
        }
    }
}
