package org.soapstone.engine.neighbour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/** Every neighbour list refuses two atoms closer than 0.01 Å, naming both (1-based), their species and distance. */
class AtomsTooCloseTest {

    /** Diamond Si with atom 5 (0-based 4) moved onto atom 2 (0-based 1), off by {@code gap} Å along x. */
    private static Structure overlapping(double gap) {
        Structure s = Crystal.diamond(14, 5.431, 1);
        double[] r = s.positions();
        r[12] = r[3] + gap;
        r[13] = r[4];
        r[14] = r[5];
        return s;
    }

    @Test
    void aFullAndAHalfListNameBothAtomsAndTheirDistance() {
        for (boolean full : new boolean[] {true, false}) {
            AtomsTooCloseException e = assertThrows(AtomsTooCloseException.class,
                    () -> NeighbourList.build(overlapping(0.004), 3.0, full));
            assertEquals(1, e.first());
            assertEquals(4, e.second());
            assertEquals(0.004, e.distance(), 1e-12);
            assertEquals("atoms 2 and 5 (Si, Si) are 0.00400 Å apart (overlapping atoms: the closest accepted is "
                    + "0.01 Å)", e.getMessage());
        }
        AtomsTooCloseException same = assertThrows(AtomsTooCloseException.class,
                () -> NeighbourList.build(overlapping(0), 3.0, true));
        assertTrue(same.getMessage().startsWith("atoms 2 and 5 (Si, Si) are at the same position"), same.getMessage());
    }

    @Test
    void justFarEnoughIsAccepted() {
        NeighbourList list = NeighbourList.build(overlapping(0.0101), 3.0, true);
        double closest = Double.POSITIVE_INFINITY;
        for (int p = list.first[1]; p < list.first[2]; p++) {
            if (list.neighbour[p] == 4) {
                closest = Math.min(closest, list.distance[p]);
            }
        }
        assertEquals(0.0101, closest, 1e-12);
    }

    @Test
    void anImageAcrossTheBoundaryIsNamed() {
        Structure s = new Structure(new int[] {14, 6}, new double[] {0.001, 1, 1, 4.998, 1, 1}, Cell.cubic(5.0));
        AtomsTooCloseException e = assertThrows(AtomsTooCloseException.class, () -> NeighbourList.build(s, 2, true));
        assertEquals(0.003, e.distance(), 1e-12);
        assertTrue(e.getMessage().startsWith("atoms 1 and 2 (Si, C) (periodic image -1 0 0) are 0.00300 Å apart"),
                e.getMessage());
    }

    @Test
    void atomsMovedTogetherAfterAVerletBuildAreCaughtWhenTheListIsUpdated() {
        Structure s = overlapping(0.5);
        VerletNeighbourList verlet = new VerletNeighbourList(3.0, 1.0, true);
        verlet.update(s);
        s.positions()[12] = s.positions()[3] + 0.002;  // moved 0.498 Å < skin / 2: no rebuild, only a recompute
        AtomsTooCloseException e = assertThrows(AtomsTooCloseException.class, () -> verlet.update(s));
        assertEquals(0.002, e.distance(), 1e-12);
        assertEquals(1, verlet.builds(), "caught by the recompute of the kept list");
    }
}
