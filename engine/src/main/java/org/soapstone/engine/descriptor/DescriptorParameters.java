package org.soapstone.engine.descriptor;

/**
 * The validated parameters of one supported descriptor type; {@link #create()} builds the descriptor. SOAP uses
 * the JDK's incubating Vector API, so the JVM must run with {@code --add-modules jdk.incubator.vector} (the
 * {@code soapstone} launcher, the build's tests and the benchmarks pass it).
 */
public sealed interface DescriptorParameters permits SoapParameters, Distance2bParameters {
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
        };
    }

    /** @return the cutoff radius (Å) */
    double cutoff();
}
