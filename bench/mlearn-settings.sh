# The published GAP settings of the mlearn data sets (Zuo et al., J. Phys. Chem. A 124, 731 (2020)) that differ by
# element, and the published test MAE (energy meV/atom, forces eV/Å) of GAP and MTP; sourced by the mlearn scripts.
declare -A cutoff=([Si]=5.4 [Ni]=3.9 [Cu]=4.1 [Li]=4.8)
declare -A nsparse=([Si]=1000 [Ni]=4000 [Cu]=4000 [Li]=4000)
declare -A e0=([Si]=-0.79 [Ni]=-0.97 [Cu]=-0.65 [Li]=-0.21)
declare -A published=([Si]="2.91 0.07" [Ni]="0.42 0.02" [Cu]="0.46 0.01" [Li]="0.49 0.01")
declare -A mtp=([Si]="2.21 0.06" [Ni]="0.48 0.01" [Cu]="0.41 0.01" [Li]="- -")
