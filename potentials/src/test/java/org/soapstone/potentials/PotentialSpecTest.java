package org.soapstone.potentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.potentials.eam.Eam;
import org.soapstone.potentials.lj.LennardJones;
import org.soapstone.potentials.sw.StillingerWeber;
import org.soapstone.potentials.tersoff.Tersoff;
import org.soapstone.potentials.zbl.Zbl;

class PotentialSpecTest {
    private static String data(String name) {
        return Path.of(System.getProperty("soapstone.root"), "test-data", name).toString();
    }

    @Test
    void everyKindParsesToItsPotential() throws Exception {
        assertInstanceOf(StillingerWeber.class, PotentialSpec.parse("sw:" + data("Si.sw")));
        assertInstanceOf(Tersoff.class, PotentialSpec.parse("tersoff:" + data("Si.tersoff") + ",skin=0.3"));
        assertInstanceOf(Eam.class, PotentialSpec.parse("eam:" + data("Cu_u3.eam")));
        assertInstanceOf(Eam.class, PotentialSpec.parse("eam/alloy:" + data("CuNi.eam.alloy")));
        assertInstanceOf(Zbl.class, PotentialSpec.parse("zbl:inner=1.0,outer=2.0"));
        assertInstanceOf(LennardJones.class,
                PotentialSpec.parse("lj:species=Ar+Kr,epsilon=0.01,sigma=3.4,cutoff=8,mixing=arithmetic"));
    }

    @Test
    void theParsedPotentialIsTheOneTheFileDescribes() throws Exception {
        // Perfect diamond Si with Stillinger–Weber: −4.3366 eV/atom (LAMMPS, shared/reference/README.md).
        var sw = PotentialSpec.parse("sw:" + data("Si.sw"));
        var s = Crystal.diamond(14, 5.431, 2);
        assertEquals(-4.3366, sw.calculate(s).energy / s.size(), 1e-4);
    }

    @Test
    void mistakesAreNamed() {
        assertMessage("unknown kind 'morse'", "morse:x");
        assertMessage("is not KIND:ARGUMENTS", "Si.sw");
        assertMessage("unknown key(s) [colour]", "zbl:inner=1,outer=2,colour=red");
        assertMessage("needs outer=VALUE", "zbl:inner=1");
        assertMessage("inner='one' is not a number", "zbl:inner=one,outer=2");
        assertMessage("needs exactly one parameter file", "sw:a.sw,b.sw");
        assertMessage("lj needs species", "lj:epsilon=1,sigma=1,cutoff=3");
        assertMessage("mixing must be geometric or arithmetic", "lj:species=Ar,epsilon=1,sigma=1,cutoff=3,mixing=x");
    }

    private static void assertMessage(String expected, String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PotentialSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
