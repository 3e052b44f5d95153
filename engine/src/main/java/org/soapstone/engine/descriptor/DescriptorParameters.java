package org.soapstone.engine.descriptor;

/** The validated parameters of one supported descriptor type; {@link #create()} builds the descriptor. */
public sealed interface DescriptorParameters permits SoapParameters, Distance2bParameters {
    /** @return the descriptor these parameters define */
    default Descriptor create() {
        return switch (this) {
            case SoapParameters p -> new SoapDescriptor(p);
            case Distance2bParameters p -> new Distance2bDescriptor(p);
        };
    }

    /** @return the cutoff radius (Å) */
    double cutoff();
}
