package org.soapstone.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.SparsePointChooser;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;

/**
 * Accuracy and cost of the truncated posterior deviations ({@code VarianceProjection}): fits a SOAP GAP (n_max=8
 * l_max=8 cutoff 5 Å, ζ=4, M sparse points by CUR) with its posterior on frames 0–29 of
 * {@code reference/gap_fit/si-soap/train.xyz} of the shared data; on frames 30–39 compares each atom's deviation σ_r at rank r with the
 * exact posterior deviation (ReferenceGapCalculator: two triangular solves), and times one evaluator step of 512-atom rattled
 * diamond on one thread without deviations and with them at each rank (median of 15 steps).
 * Run: {@code java -cp bench/target/benchmarks.jar org.soapstone.bench.VarianceRankStudy [M]} (default M = 1000).
 */
public final class VarianceRankStudy {
    private VarianceRankStudy() {
    }

    /** @param args optional M */
    public static void main(String[] args) throws Exception {
        int m = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        DescriptorSpec spec = DescriptorString.parse("soap cutoff=5.0 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 "
                + "cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=" + m
                + " sparse_method=cur_points").addSpecies(new int[] {14}).getFirst();
        List<Structure> all = ExtXyz.read(BenchData.shared("reference/gap_fit/si-soap/train.xyz"));
        List<TrainingFrame> train = new ArrayList<>();
        for (int f = 0; f < 30; f++) {
            Structure s = all.get(f);
            double[] fs = new double[3 * s.size()];
            Arrays.fill(fs, 0.1);
            train.add(new TrainingFrame(f, 0, s, "default", s.infoReal("energy"), 0.002 * Math.sqrt(s.size()),
                    s.properties().get("forces").reals(), fs, null, null));
        }
        double[] e0 = new double[GapModel.MAX_Z + 1];
        e0[14] = -0.79;
        long t0 = System.nanoTime();
        List<GapTerm> terms = SparsePointChooser.choose("study", List.of(spec), train, 1, 2, FitListener.NONE,
                new ArrayList<>());
        GapModel model = SparseGpSolve.fit("study", e0, terms, train, 1e-8, 2, FitListener.NONE);
        System.out.printf(Locale.ROOT, "fit: M = %d, %d frames, %.1f s%n", model.posterior().sparseCount(),
                train.size(), (System.nanoTime() - t0) * 1e-9);
        List<double[]> exact = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(2)) {
            ReferenceGapCalculator plain = new ReferenceGapCalculator(model, pool);
            for (int f = 30; f < all.size(); f++) {
                double[] v = plain.localVariance(all.get(f));
                for (int a = 0; a < v.length; a++) {
                    v[a] = Math.sqrt(Math.max(0, v[a]));
                }
                exact.add(v);
            }
        }
        Structure big = GapEvaluatorBenchmark.rattledDiamond(4, 0.1, 5.431, 1);
        double meanOnly = stepTime(model, big, new EvaluatorOptions(1.0, false, 0));
        System.out.printf(Locale.ROOT, "no deviations: %.1f µs/atom-step (512 atoms, 1 thread)%n", meanOnly);
        System.out.println("rank  mean_overestimate_at_sparse_eV2  min_ratio  median_ratio  max_ratio  "
                + "max_abs_excess_meV  us_per_atom_step  extra_cost");
        int mm = model.posterior().sparseCount();
        for (int rank : new int[] {mm, mm / 2, mm / 5, mm / 10, mm / 20, mm / 50}) {
            List<Double> ratios = new ArrayList<>();
            double maxExcess = 0;
            double overestimate;
            try (WorkerPool pool = new WorkerPool(2)) {
                int k = 0;
                FastGapCalculator ev = new FastGapCalculator(model, pool, new EvaluatorOptions(1.0, true, rank));
                for (int f = 30; f < all.size(); f++, k++) {
                    Structure s = all.get(f);
                    double[] sd = new double[s.size()];
                    ev.calculateWithDeviations(s, new CalculationResults(), sd);
                    for (int a = 0; a < sd.length; a++) {
                        ratios.add(sd[a] / exact.get(k)[a]);
                        maxExcess = Math.max(maxExcess, sd[a] - exact.get(k)[a]);
                    }
                }
                overestimate = ev.posteriorProjection().meanOverestimate();
            }
            ratios.sort(null);
            double cost = stepTime(model, big, new EvaluatorOptions(1.0, true, rank));
            System.out.printf(Locale.ROOT, "%4d  %.3e  %.6f  %.4f  %.4f  %.3f  %.1f  %+.0f%%%n", rank, overestimate,
                    ratios.getFirst(), ratios.get(ratios.size() / 2), ratios.getLast(), 1e3 * maxExcess, cost,
                    100 * (cost / meanOnly - 1));
        }
    }

    /** Median of 15 timed steps after 10 warm-up ones (µs per atom-step, one thread). */
    private static double stepTime(GapModel model, Structure s, EvaluatorOptions options) {
        try (WorkerPool pool = new WorkerPool(1)) {
            FastGapCalculator ev = new FastGapCalculator(model, s, pool, options);
            CalculationResults r = new CalculationResults();
            double[] t = new double[15];
            for (int i = 0; i < 25; i++) {
                long start = System.nanoTime();
                ev.calculate(s, ev.implementedProperties(), r);
                if (i >= 10) {
                    t[i - 10] = (System.nanoTime() - start) * 1e-3 / s.size();
                }
            }
            Arrays.sort(t);
            return t[7];
        }
    }
}
