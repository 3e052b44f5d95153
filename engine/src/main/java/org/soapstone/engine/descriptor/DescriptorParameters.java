package org.soapstone.engine.descriptor;

/**
 * The validated parameters of one supported descriptor type; {@link #create()} builds the descriptor. SOAP uses
 * the JDK's incubating Vector API, so the JVM must run with {@code --add-modules jdk.incubator.vector} (the
 * {@code soapstone} launcher, the build's tests and the benchmarks pass it).
 */
public sealed interface DescriptorParameters
        permits SoapParameters, Distance2bParameters, Angle3bParameters, DistanceNbParameters {
    /**
     * @return the descriptor these parameters define
     * @throws IllegalStateException for SOAP when the JVM runs without the module jdk.incubator.vector
     */
    default Descriptor create() {
        return switch (this) {
            case SoapParameters p -> {
                if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                    throw new IllegalStateException("the SOAP descriptor needs the JDK Vector API: run java with "
                            + "--add-modules jdk.incubator.vector (the soapstone launcher does)");
                }
                yield new SoapDescriptor(p);
            }
            case Distance2bParameters p -> new Distance2bDescriptor(p);
            case Angle3bParameters p -> new Angle3bDescriptor(p);
            case DistanceNbParameters p -> new DistanceNbDescriptor(p);
        };
    }

    /** @return the cutoff radius (Å) */
    double cutoff();

    /**
     * @return the atomic numbers the parameters name (centre, neighbour or cluster species), without 0 (any) and
     *     without repeats, ascending
     */
    default int[] namedSpecies() {
        java.util.stream.IntStream named = switch (this) {
            case SoapParameters p -> java.util.stream.IntStream.concat(java.util.Arrays.stream(p.species().channels()),
                    java.util.Arrays.stream(p.species().centres()));
            case Distance2bParameters p -> java.util.stream.IntStream.of(p.z1(), p.z2());
            case Angle3bParameters p -> java.util.stream.IntStream.of(p.zCentre(), p.z1(), p.z2());
            case DistanceNbParameters p -> java.util.Arrays.stream(p.species());
        };
        return named.filter(z -> z > 0).distinct().sorted().toArray();
    }

    /**
     * The permutations of the descriptor's components under which the GP kernel is symmetrised (QUIP's
     * {@code descriptor_permutations}): one row per permutation, entry k the component moved to k; a single identity
     * row for every descriptor but distance_Nb.
     *
     * @param dimension D
     * @return n_p × D
     */
    default int[][] permutations(int dimension) {
        if (this instanceof DistanceNbParameters p) {
            return p.permutations();
        }
        int[] identity = new int[dimension];
        java.util.Arrays.setAll(identity, k -> k);
        return new int[][] {identity};
    }
}
