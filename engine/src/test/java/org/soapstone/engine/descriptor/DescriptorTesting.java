package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/** Helpers shared by the descriptor tests: flattened values, analytic Jacobians, a linear test model. */
final class DescriptorTesting {
    private DescriptorTesting() {}

    /** @return every instance of the structure, concatenated (count·D values) */
    static double[] values(Descriptor d, Structure s) {
        DescriptorOutput out = d.compute(s, false);
        return Arrays.copyOf(out.values(), out.count() * d.dimension());
    }

    /** @return the analytic Jacobian in {@link FiniteDifferences#numericJacobian} layout, images summed per atom */
    static double[] analyticJacobian(Descriptor d, Structure s) {
        DescriptorOutput out = d.newOutput();
        d.compute(s, NeighbourList.build(s, d.cutoff() + 0.7, true), true, out);
        int dim = d.dimension();
        int m = out.count() * dim;
        double[] jac = new double[3 * s.size() * m];
        for (int i = 0; i < out.count(); i++) {
            for (int e = out.gradientStart(i); e < out.gradientEnd(i); e++) {
                int a = out.gradientAtom(e);
                for (int k = 0; k < 3; k++) {
                    for (int c = 0; c < dim; c++) {
                        jac[(3 * a + k) * m + i * dim + c] += out.gradients()[(3 * e + k) * dim + c];
                    }
                }
            }
        }
        return jac;
    }

    /**
     * Asserts the analytic gradients of every component match central differences: for every instance, the
     * largest error over all atoms, directions and components is below {@code rel} times the largest numeric
     * gradient of that instance.
     */
    static void assertGradientsMatch(Descriptor d, Structure s, double h, double rel) {
        double[] num = FiniteDifferences.numericJacobian(s, h, t -> values(d, t));
        double[] ana = analyticJacobian(d, s);
        assertTrue(num.length == ana.length, "instance count changed under displacement");
        int dim = d.dimension();
        int m = num.length / (3 * s.size());
        int instances = m / dim;
        assertTrue(instances > 0, "no instances");
        for (int i = 0; i < instances; i++) {
            double scale = 0, err = 0;
            int worst = -1;
            for (int row = 0; row < 3 * s.size(); row++) {
                for (int c = 0; c < dim; c++) {
                    int q = row * m + i * dim + c;
                    scale = Math.max(scale, Math.abs(num[q]));
                    double e = Math.abs(num[q] - ana[q]);
                    if (e > err) {
                        err = e;
                        worst = q;
                    }
                }
            }
            assertTrue(scale > 0, "instance " + i + " has no gradient");
            int row = worst / m;
            assertTrue(err <= rel * scale, "instance " + i + ": relative gradient error " + err / scale
                    + " at atom " + row / 3 + " direction " + row % 3 + " component " + (worst % m - i * dim)
                    + " (numeric " + num[worst] + ", analytic " + ana[worst] + ")");
        }
    }

    /** A random Cartesian rotation matrix, row-major. */
    static double[] randomRotation(Random rng) {
        double[] q = new double[4];
        double n = 0;
        for (int k = 0; k < 4; k++) {
            q[k] = rng.nextGaussian();
            n += q[k] * q[k];
        }
        n = Math.sqrt(n);
        double w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
        return new double[] {
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)
        };
    }

    /** @return a random non-periodic cluster of {@code n} atoms with species drawn from {@code z}, ≥ dmin apart */
    static Structure cluster(int n, int[] z, double box, double dmin, long seed) {
        Random rng = new Random(seed);
        double[] r = new double[3 * n];
        int[] numbers = new int[n];
        int placed = 0;
        while (placed < n) {
            double x = box * rng.nextDouble(), y = box * rng.nextDouble(), w = box * rng.nextDouble();
            boolean ok = true;
            for (int j = 0; j < placed && ok; j++) {
                double dx = x - r[3 * j], dy = y - r[3 * j + 1], dz = w - r[3 * j + 2];
                ok = dx * dx + dy * dy + dz * dz >= dmin * dmin;
            }
            if (ok) {
                r[3 * placed] = x;
                r[3 * placed + 1] = y;
                r[3 * placed + 2] = w;
                numbers[placed] = z[rng.nextInt(z.length)];
                placed++;
            }
        }
        return new Structure(numbers, r, Cell.none());
    }

    /**
     * A linear model E = Σ_i w_i θ·x_i over a descriptor's instances (w_i the cutoff weight), with forces and
     * stress from the descriptor gradients and gradient offsets: an energy-like scalar for force, stress and
     * smoothness tests.
     */
    static final class LinearModel implements Calculator {
        private final Descriptor descriptor;
        private final double[] theta;

        LinearModel(Descriptor descriptor, long seed) {
            this.descriptor = descriptor;
            Random rng = new Random(seed);
            theta = new double[descriptor.dimension()];
            for (int c = 0; c < theta.length; c++) {
                theta[c] = rng.nextGaussian();
            }
        }

        @Override
        public Set<Property> implementedProperties() {
            return EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);
        }

        @Override
        public void calculate(Structure s, Set<Property> requested, CalculationResults res) {
            res.reset(s.size());
            boolean grad = requested.contains(Property.FORCES) || requested.contains(Property.STRESS);
            DescriptorOutput out = descriptor.newOutput();
            descriptor.compute(s, NeighbourList.build(s, descriptor.cutoff(), true), grad, out);
            int dim = descriptor.dimension();
            double energy = 0;
            double[] sigma = new double[9];
            for (int i = 0; i < out.count(); i++) {
                double dot = 0;
                for (int c = 0; c < dim; c++) {
                    dot += theta[c] * out.value(i, c);
                }
                double w = out.cutoffWeight(i);
                energy += w * dot;
                if (!grad) {
                    continue;
                }
                for (int e = out.gradientStart(i); e < out.gradientEnd(i); e++) {
                    int a = out.gradientAtom(e);
                    for (int k = 0; k < 3; k++) {
                        double g = 0;
                        for (int c = 0; c < dim; c++) {
                            g += theta[c] * out.gradients()[(3 * e + k) * dim + c];
                        }
                        double dE = w * g + dot * out.cutoffWeightGradients()[3 * e + k];
                        res.forces[3 * a + k] -= dE;
                        for (int b = 0; b < 3; b++) {
                            sigma[3 * b + k] += out.gradientOffsets()[3 * e + b] * dE;
                        }
                    }
                }
            }
            res.energy = energy;
            if (s.cell().hasVolume()) {
                double v = s.volume();
                double[] voigt = {sigma[0], sigma[4], sigma[8], sigma[5], sigma[2], sigma[1]};
                for (int c = 0; c < 6; c++) {
                    res.stress[c] = voigt[c] / v;
                }
            }
            res.markComputed(requested);
        }
    }
}
