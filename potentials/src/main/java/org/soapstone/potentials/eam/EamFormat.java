package org.soapstone.potentials.eam;

/** The LAMMPS EAM table formats. */
public enum EamFormat {
    /** DYNAMO {@code funcfl}: one element per file, Z(r) tabulated (LAMMPS {@code pair_style eam}). */
    FUNCFL,
    /** DYNAMO {@code setfl}: several elements, r·φ(r) per pair (LAMMPS {@code pair_style eam/alloy}). */
    SETFL,
    /** Finnis–Sinclair {@code setfl}: one density function per element pair (LAMMPS {@code pair_style eam/fs}). */
    FINNIS_SINCLAIR
}
