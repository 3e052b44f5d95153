package org.soapstone.engine.descriptor;

import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;

/**
 * QUIP's {@code angle_3b} descriptor ({@code angle_3b_calc} in GAP's {@code descriptors.f95}): one instance per
 * central atom i and <em>ordered</em> pair of distinct neighbour entries (j, k), both closer than r_c, whose species
 * match {@code Z1}, {@code Z2} in either order — so each triplet appears twice, (j, k) and (k, j), with the same
 * vector, as in QUIP's double loop over the neighbour list. The vector is
 * <pre>  x = (r_ij + r_ik, (r_ij − r_ik)², r_jk)   (Å, Å², Å)</pre>
 * (QUIP's third component is r_jk, not the cosine its name suggests), the cutoff weight f_c(r_ij)·f_c(r_ik) with the
 * cosine cutoff of width {@code cutoff_transition_width}, and the energy goes to the centre. Gradient entries: the
 * centre i, then j (offset r_ij) and k (offset r_ik), with u_ab the unit vector from a to b:
 * ∂x/∂r_j = (u_ij, 2(r_ij − r_ik) u_ij, u_kj), ∂x/∂r_k = (u_ik, −2(r_ij − r_ik) u_ik, −u_kj), and the centre's the
 * negative sum.
 */
public final class Angle3bDescriptor implements Descriptor {
    private static final int DIMENSION = 3;

    private final Angle3bParameters params;
    private final CosineCutoff cutoffFunction;

    /** @param params the validated parameters */
    public Angle3bDescriptor(Angle3bParameters params) {
        this.params = params;
        this.cutoffFunction = new CosineCutoff(params.cutoff(), params.cutoffTransitionWidth());
    }

    /** @return the parameters */
    public Angle3bParameters parameters() {
        return params;
    }

    @Override
    public int dimension() {
        return DIMENSION;
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
        return new DescriptorOutput(DIMENSION, this);
    }

    @Override
    public void compute(Structure structure, NeighbourList neighbours, int fromAtom, int toAtom, boolean gradients,
            DescriptorOutput out) {
        if (out.dimension() != DIMENSION || out.workspace != this) {
            throw new IllegalArgumentException("output was not made by this descriptor's newOutput()");
        }
        FullList.require("angle_3b", neighbours, params.cutoff());
        out.reset(gradients);
        int[] z = structure.numbers();
        double rc = params.cutoff();
        double[] vec = neighbours.vector;
        for (int i = fromAtom; i < toAtom; i++) {
            if (!params.centre(z[i])) {
                continue;
            }
            int p0 = neighbours.first[i];
            int p1 = neighbours.first[i + 1];
            for (int p = p0; p < p1; p++) {
                double rij = neighbours.distance[p];
                if (rij >= rc) {
                    continue;
                }
                int j = neighbours.neighbour[p];
                double fcj = cutoffFunction.value(rij);
                double dfcj = cutoffFunction.derivative(rij);
                for (int q = p0; q < p1; q++) {
                    double rik = neighbours.distance[q];
                    if (q == p || rik >= rc) {
                        continue;
                    }
                    int k = neighbours.neighbour[q];
                    if (!params.neighbours(z[j], z[k])) {
                        continue;
                    }
                    double djk0 = vec[3 * p] - vec[3 * q];
                    double djk1 = vec[3 * p + 1] - vec[3 * q + 1];
                    double djk2 = vec[3 * p + 2] - vec[3 * q + 2];
                    double rjk = Math.sqrt(djk0 * djk0 + djk1 * djk1 + djk2 * djk2);
                    double fck = cutoffFunction.value(rik);
                    int inst = out.add(i, 3);
                    double[] v = out.values();
                    double diff = rij - rik;
                    v[3 * inst] = rij + rik;
                    v[3 * inst + 1] = diff * diff;
                    v[3 * inst + 2] = rjk;
                    out.setCutoffWeight(inst, fcj * fck);
                    if (!gradients) {
                        continue;
                    }
                    double dfck = cutoffFunction.derivative(rik);
                    int e0 = out.gradientStart(inst);
                    out.setEntry(e0, i, 0, 0, 0);
                    out.setEntry(e0 + 1, j, vec[3 * p], vec[3 * p + 1], vec[3 * p + 2]);
                    out.setEntry(e0 + 2, k, vec[3 * q], vec[3 * q + 1], vec[3 * q + 2]);
                    double[] g = out.gradients();
                    double[] wg = out.cutoffWeightGradients();
                    for (int c = 0; c < 3; c++) {
                        double uij = vec[3 * p + c] / rij;
                        double uik = vec[3 * q + c] / rik;
                        double ujk = (c == 0 ? djk0 : c == 1 ? djk1 : djk2) / rjk;
                        int gi = (3 * e0 + c) * DIMENSION;
                        int gj = (3 * (e0 + 1) + c) * DIMENSION;
                        int gk = (3 * (e0 + 2) + c) * DIMENSION;
                        g[gi] = -uij - uik;
                        g[gi + 1] = 2 * diff * (-uij + uik);
                        g[gi + 2] = 0;
                        g[gj] = uij;
                        g[gj + 1] = 2 * diff * uij;
                        g[gj + 2] = ujk;
                        g[gk] = uik;
                        g[gk + 1] = 2 * diff * (-uik);
                        g[gk + 2] = -ujk;
                        wg[3 * e0 + c] = -dfcj * fck * uij - dfck * fcj * uik;
                        wg[3 * (e0 + 1) + c] = dfcj * fck * uij;
                        wg[3 * (e0 + 2) + c] = dfck * fcj * uik;
                    }
                }
            }
        }
    }
}
