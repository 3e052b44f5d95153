/**
 * On-the-fly learning: molecular dynamics with a GAP that calls a reference calculator when its predicted
 * uncertainty is too high, adds the reference data and the most uncertain environments to its fit by incremental
 * (bordered QR) updates, and carries on (Vandermause et al., npj Comput. Mater. 6, 20 (2020)).
 */
package org.soapstone.engine.learn;
