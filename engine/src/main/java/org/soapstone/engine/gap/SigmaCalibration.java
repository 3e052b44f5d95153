package org.soapstone.engine.gap;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.PredictiveCalibration.Figures;
import org.soapstone.gp.PredictiveCalibration.Scale;

/**
 * How a fitted model turns its posterior into calibrated error bars for what a user compares with reference data:
 * the observed-value predictive variance of a total energy, a force component or a virial component
 * <pre>  σ² = s_w² · uᵀΣu + s_n² · σ_n²</pre>
 * with uᵀΣu the weight-space variance of the prediction ({@link PredictiveVariance#observedVariance}), σ_n the
 * observation noise the fit assumed for that quantity and group ({@code default_sigma}, {@code config_type_sigma};
 * energy and virial σ_n per √atom when {@link #noisePerAtom}) and (s_w, s_n) the scales fitted by cross-validation on
 * the training frames ({@link org.soapstone.gp.PredictiveCalibration}), per quantity and, with
 * {@link Method#GROUP}, per config type that had enough frames. A model fitted with {@link Method#NONE} keeps s_w =
 * s_n = 1: the Bayesian predictive of the fit's own hyperparameters. Immutable.
 *
 * <p>Per-frame σ overrides of the training file ({@code energy_sigma}, {@code force_sigma}, …) cannot be known for
 * new frames; the group's defaults stand in for them.
 *
 * @param method how the scales were chosen
 * @param folds K of the K-fold cross-validation (0 for {@link Method#NONE})
 * @param noisePerAtom whether energy and virial noise is per √atom (gap_fit's {@code sigma_per_atom})
 * @param noise σ_n per config type; {@value #DEFAULT_GROUP} is the fit's default and must be present
 * @param scales per quantity, (s_w, s_n) per group; {@value #ALL} is every group's fallback and must be present for
 *     each quantity calibrated; a quantity absent is uncalibrated (s_w = s_n = 1)
 * @param figures per quantity and group, the calibration figures measured on the cross-validation residuals with
 *     these scales (in-sample for the scales themselves); empty for {@link Method#NONE}
 * @param forceProxy the calibration of the per-atom force-σ proxy ({@link ForceSigmaProxy}) on the same residuals,
 *     or null (no cross-validation, or a model written before the proxy)
 */
public record SigmaCalibration(Method method, int folds, boolean noisePerAtom, Map<String, Noise> noise,
        Map<ObservationKind, Map<String, Scale>> scales, Map<ObservationKind, Map<String, Figures>> figures,
        ForceProxy forceProxy) {

    /** The group every frame falls back to in {@link #scales} and {@link #figures}. */
    public static final String ALL = "all";
    /** The config type of the fit's default σ in {@link #noise}, and of frames without a config type. */
    public static final String DEFAULT_GROUP = "default";

    /** A reference force component at most this large (eV/Å) is zero: the data's own rounding. */
    public static final double ZERO_REFERENCE_FORCE = 1e-6;
    /**
     * A predicted force component at most this large (eV/Å), where the reference is zero, is zero by symmetry: the
     * positions of a symmetric cell as printed (to ≈ 10⁻⁶ Å) times a force constant of ≈ 10 eV/Å² give 10⁻⁵ eV/Å.
     */
    public static final double ZERO_PREDICTED_FORCE = 1e-4;

    /**
     * Whether a force component is zero by symmetry in both reference and prediction (e.g. every atom of a strained
     * perfect crystal): its error says nothing about σ, so calibration and its figures leave it out.
     *
     * @param reference the reference component (eV/Å)
     * @param predicted the predicted component (eV/Å)
     * @return whether both are zero within {@link #ZERO_REFERENCE_FORCE} and {@link #ZERO_PREDICTED_FORCE}
     */
    public static boolean zeroBySymmetry(double reference, double predicted) {
        return Math.abs(reference) <= ZERO_REFERENCE_FORCE && Math.abs(predicted) <= ZERO_PREDICTED_FORCE;
    }

    /** How the scales were chosen. */
    public enum Method {
        /** No cross-validation: s_w = s_n = 1. */
        NONE,
        /** One (s_w, s_n) per quantity. */
        SCALE,
        /** One per quantity, refined per config type with enough frames. */
        GROUP
    }

    /**
     * The observation noise the fit assumed for one config type.
     *
     * @param energy σ of total energies (eV; per √atom if {@link #noisePerAtom})
     * @param force σ of force components (eV/Å)
     * @param virial σ of virial components (eV; per √atom if {@link #noisePerAtom})
     */
    public record Noise(double energy, double force, double virial) {
        public Noise {
            if (!(energy >= 0) || !(force >= 0) || !(virial >= 0) || !Double.isFinite(energy + force + virial)) {
                throw new IllegalArgumentException("noise σ must be finite and ≥ 0, got " + energy + ", " + force
                        + ", " + virial);
            }
        }
    }

    /**
     * The calibrated force-σ proxy: σ_F² = s_w²·v_a + s_n²·σ_n² for each force component of atom a, v_a the
     * neighbourhood sum of latent local-energy variances ({@link ForceSigmaProxy}) bounded through a
     * {@link VarianceProjection} of {@code rank} eigenpairs, σ_n the default group's force noise; one scale for all
     * config types (MD knows none).
     *
     * @param scale (s_w in 1/Å, s_n dimensionless), fitted by maximum likelihood on the held-out force errors
     * @param rank the eigenpairs of the variance projection the local variances were computed with, as the
     *     evaluator must compute them (chosen by the fit, {@link ForceSigmaProxy#candidateRanks}); 0 for exact
     *     (models written before the rank)
     * @param figures per group ({@value #ALL} first), the proxy's figures on the same residuals
     */
    public record ForceProxy(Scale scale, int rank, Map<String, Figures> figures) {
        public ForceProxy {
            java.util.Objects.requireNonNull(scale, "scale");
            if (rank < 0) {
                throw new IllegalArgumentException("the proxy's variance rank must be ≥ 0 (0: exact), got " + rank);
            }
            figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        }

        /**
         * @param sparseCount M, the model's sparse points over all terms
         * @return the number of eigenpairs the evaluator keeps for the proxy's local variances, in [1, M]
         */
        public int rank(int sparseCount) {
            return rank == 0 ? sparseCount : Math.min(rank, sparseCount);
        }
    }

    /** Validates and copies. */
    public SigmaCalibration {
        Objects.requireNonNull(method, "method");
        if (folds < 0 || (method != Method.NONE && folds < 2)) {
            throw new IllegalArgumentException("a cross-validated calibration needs at least 2 folds, got " + folds);
        }
        noise = Collections.unmodifiableMap(new LinkedHashMap<>(noise));
        if (!noise.containsKey(DEFAULT_GROUP)) {
            throw new IllegalArgumentException("the calibration needs the noise of group '" + DEFAULT_GROUP + "'");
        }
        scales = copy(scales);
        figures = copy(figures);
        scales.forEach((kind, byGroup) -> {
            if (!byGroup.containsKey(ALL)) {
                throw new IllegalArgumentException("the " + kind + " scales need group '" + ALL + "'");
            }
        });
    }

    /**
     * An uncalibrated record of the fit's noise: s_w = s_n = 1.
     *
     * @param noisePerAtom gap_fit's {@code sigma_per_atom}
     * @param noise σ_n per config type, with {@value #DEFAULT_GROUP}
     * @return the calibration
     */
    public static SigmaCalibration none(boolean noisePerAtom, Map<String, Noise> noise) {
        return new SigmaCalibration(Method.NONE, 0, noisePerAtom, noise, Map.of(), Map.of(), null);
    }

    /**
     * @param kind the quantity
     * @param group a frame's config type, or null (then the {@value #ALL} scales and the default noise)
     * @return the scales that apply
     */
    public Scale scale(ObservationKind kind, String group) {
        Map<String, Scale> byGroup = scales.get(kind);
        if (byGroup == null) {
            return Scale.IDENTITY;
        }
        Scale s = group == null ? null : byGroup.get(group);
        return s != null ? s : byGroup.get(ALL);
    }

    /**
     * @param kind a quantity
     * @return whether σ of it is calibrated: always without cross-validation (the fit's own predictive), else only
     *     for the quantities the fit had data of
     */
    public boolean calibrates(ObservationKind kind) {
        return method == Method.NONE || scales.containsKey(kind);
    }

    /**
     * @param group a frame's config type, or null
     * @return the noise the fit assumed for it: the group's own, else the default's
     */
    public Noise noise(String group) {
        Noise n = group == null ? null : noise.get(group);
        return n != null ? n : noise.get(DEFAULT_GROUP);
    }

    /**
     * σ_n² of a quantity for a frame.
     *
     * @param kind the quantity
     * @param group the frame's config type, or null
     * @param atoms the frame's atom count
     * @return the noise variance (eV², eV²/Å² for forces)
     */
    public double noiseVariance(ObservationKind kind, String group, int atoms) {
        Noise n = noise(group);
        double perAtom = noisePerAtom ? atoms : 1;
        return switch (kind) {
            case ENERGY -> n.energy() * n.energy() * perAtom;
            case FORCE -> n.force() * n.force();
            case VIRIAL -> n.virial() * n.virial() * perAtom;
        };
    }

    /**
     * The calibrated observed-value variance.
     *
     * @param kind the quantity
     * @param group the frame's config type, or null
     * @param atoms the frame's atom count
     * @param weightVariance uᵀΣu of the prediction (eV², eV²/Å² for forces)
     * @return σ² (same unit)
     */
    public double variance(ObservationKind kind, String group, int atoms, double weightVariance) {
        return scale(kind, group).variance(weightVariance, noiseVariance(kind, group, atoms));
    }

    /**
     * The calibrated variance of each force component of an atom from its proxy.
     *
     * @param neighbourhoodVariance v_a (eV², {@link ForceSigmaProxy#neighbourhoodVariance})
     * @return σ_F² (eV²/Å²)
     * @throws IllegalStateException if the model has no proxy calibration ({@link #forceProxy()} null)
     */
    public double proxyForceVariance(double neighbourhoodVariance) {
        if (forceProxy == null) {
            throw new IllegalStateException("this model has no calibrated force-σ proxy (fitted with --calibration "
                    + "none, or written before the proxy existed); refit it, or ask for the exact force σ");
        }
        return forceProxy.scale().variance(neighbourhoodVariance, noiseVariance(ObservationKind.FORCE, null, 1));
    }

    private static <V> Map<ObservationKind, Map<String, V>> copy(Map<ObservationKind, Map<String, V>> in) {
        Map<ObservationKind, Map<String, V>> out = new EnumMap<>(ObservationKind.class);
        in.forEach((k, v) -> out.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        return Collections.unmodifiableMap(out);
    }
}
