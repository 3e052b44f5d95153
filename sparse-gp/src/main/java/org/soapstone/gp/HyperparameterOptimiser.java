package org.soapstone.gp;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Tunes the signal δ and the noise σ of each observation kind by maximising the log marginal likelihood of the
 * sparse GP (gap_fit users' {@code --optimise}). Every row's σ of a kind is multiplied by the same factor, so
 * per-row scalings (e.g. energy σ growing with √atoms) are kept. Derivative-free (BOBYQA, Powell 2009) in the
 * logarithms of δ and the factors, each within a factor {@value #RANGE} of its start.
 *
 * <p>The kernel rows at δ = 1 are computed once and kept (K ∝ δ², so each evaluation only rescales them and
 * redoes the streamed QR): memory O(N·M). For large data sets optimise on a subset.
 *
 * <p>Reference: Rasmussen &amp; Williams (2006), sec. 5.4 (marginal likelihood); Powell, Cambridge NA report
 * NA2009/06 (BOBYQA).
 */
public final class HyperparameterOptimiser {

    /** Each parameter may move by at most this factor from its starting value. */
    public static final double RANGE = 1000.0;

    private final Kernel unitKernel;
    private final SparsePoints sparse;
    private final double jitter;
    private final double[] kmm;
    private final List<double[]> rows = new ArrayList<>();
    private final List<ObservationBlock> blocks;
    private final ObservationKind[] kinds;

    /**
     * The tuned hyperparameters.
     *
     * @param delta                 δ, eV
     * @param sigmaFactor           factor applied to the σ of each kind, indexed by {@link ObservationKind#ordinal()}
     *                              (1 for kinds absent from the data)
     * @param logMarginalLikelihood ln p(y) at the optimum
     * @param evaluations           number of fits made
     */
    public record Optimum(double delta, double[] sigmaFactor, double logMarginalLikelihood, int evaluations) {
        public Optimum {
            sigmaFactor = sigmaFactor.clone();
        }

        @Override
        public double[] sigmaFactor() {
            return sigmaFactor.clone();
        }
    }

    /**
     * Prepares the optimisation: computes the kernel rows of every block once.
     *
     * @param jitter added to the diagonal of K_MM, eV² (held fixed)
     */
    public HyperparameterOptimiser(Kernel kernel, SparsePoints sparse, double jitter, List<ObservationBlock> blocks) {
        this.unitKernel = kernel.withDelta(1.0);
        this.sparse = sparse;
        this.jitter = jitter;
        this.blocks = List.copyOf(blocks);
        int m = sparse.size();
        this.kmm = new double[m * m];
        unitKernel.matrix(sparse.raw(), m, sparse.raw(), m, sparse.dimension(), kmm);
        EnumSet<ObservationKind> present = EnumSet.noneOf(ObservationKind.class);
        for (ObservationBlock block : this.blocks) {
            rows.add(Covariance.functionalRows(unitKernel, sparse, block));
            for (ObservationKind k : block.kind()) {
                present.add(k);
            }
        }
        if (present.isEmpty()) {
            throw new IllegalArgumentException("no observations to optimise on");
        }
        this.kinds = present.toArray(new ObservationKind[0]);
    }

    /** ln p(y) for signal δ (eV) and the σ factors (indexed by kind ordinal). */
    public double logMarginalLikelihood(double delta, double[] sigmaFactor) {
        int m = sparse.size();
        double d2 = delta * delta;
        double[] k = new double[m * m];
        for (int i = 0; i < k.length; i++) {
            k[i] = d2 * kmm[i];
        }
        for (int i = 0; i < m; i++) {
            k[i + i * m] += jitter;
        }
        NativeLinearAlgebra.choleskyUpper(k, m);
        QrAccumulator acc = QrAccumulator.prior(k, m);
        for (int b = 0; b < blocks.size(); b++) {
            ObservationBlock block = blocks.get(b);
            double[] unit = rows.get(b);
            double[] scaled = new double[unit.length];
            for (int i = 0; i < unit.length; i++) {
                scaled[i] = d2 * unit[i];
            }
            double[] sigma = block.sigma().clone();
            for (int r = 0; r < sigma.length; r++) {
                sigma[r] *= sigmaFactor[block.kind()[r].ordinal()];
            }
            acc.add(DesignBlock.assemble(scaled, m, block.target(), sigma));
        }
        return new SparseGpModel(unitKernel.withDelta(delta), sparse, jitter, k, acc).logMarginalLikelihood();
    }

    /**
     * Maximises ln p(y) from the kernel's δ and σ factors of 1.
     *
     * @param maxEvaluations cap on the number of fits
     */
    public Optimum optimise(double startDelta, int maxEvaluations) {
        int dim = 1 + kinds.length;
        double[] start = new double[dim];
        start[0] = Math.log(startDelta);
        double[] lower = new double[dim];
        double[] upper = new double[dim];
        for (int i = 0; i < dim; i++) {
            lower[i] = start[i] - Math.log(RANGE);
            upper[i] = start[i] + Math.log(RANGE);
        }
        int[] count = new int[1];
        ObjectiveFunction objective = new ObjectiveFunction(p -> {
            count[0]++;
            double value = logMarginalLikelihood(Math.exp(p[0]), factors(p));
            return Double.isFinite(value) ? value : -Double.MAX_VALUE;
        });
        // dim >= 2 always (δ and at least one kind), as BOBYQA requires
        BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * dim + 1, 0.5, 1e-6);
        PointValuePair best = optimizer.optimize(new MaxEval(maxEvaluations), objective, GoalType.MAXIMIZE,
                new InitialGuess(start), new SimpleBounds(lower, upper));
        double[] p = best.getPoint();
        return new Optimum(Math.exp(p[0]), factors(p), best.getValue(), count[0]);
    }

    private double[] factors(double[] p) {
        double[] f = new double[ObservationKind.values().length];
        java.util.Arrays.fill(f, 1.0);
        for (int i = 0; i < kinds.length; i++) {
            f[kinds[i].ordinal()] = Math.exp(p[1 + i]);
        }
        return f;
    }
}
