package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.structure.Structure;

/**
 * Interoperability with ASE both ways: ASE writes frames of every kind, we read them and compare with what ASE
 * reads back; we write them, ASE reads our file and we compare again.
 */
class ExtXyzAseTest {
    @TempDir
    Path dir;

    /** Builds the frames, writes them with ASE to argv[1], prints what ASE reads back from that file. */
    private static final String WRITE_WITH_ASE = """
            from ase import Atoms
            from ase.build import bulk, molecule
            from ase.calculators.singlepoint import SinglePointCalculator
            rng = np.random.RandomState(42)
            si = bulk('Si', 'diamond', a=5.431, cubic=True)
            si.rattle(0.05, seed=1)
            si.info.update(step=7, temperature=300.5, converged=True, failed=False,
                           config_type='bulk diamond', comment='say "hi" {now}', kpts=np.array([4, 4, 4]),
                           weights=np.array([0.5, 1.5, 1e-20]), mask=np.array([True, False, True]),
                           names=['x', 'y z'], tiny=1.25e-310, big=12345678901234)
            n = len(si)
            si.new_array('charge_r', rng.uniform(-1, 1, n))
            si.new_array('dipole', rng.normal(size=(n, 3)))
            si.new_array('tag_i', np.arange(n) * 3 - 5)
            si.new_array('fixed', np.array([True, False] * (n // 2)))
            si.new_array('label', np.array(['s%d' % i for i in range(n)]))
            si.set_momenta(rng.normal(size=(n, 3)))
            si.set_masses(np.full(n, 28.0855) + np.arange(n) * 0.25)
            si.calc = SinglePointCalculator(si, energy=-43.2123456789, forces=rng.normal(size=(n, 3)),
                                            stress=rng.normal(size=6) * 1e-3)
            cu = bulk('Cu', 'fcc', a=3.6) * (2, 2, 2)
            cu.positions += rng.normal(scale=0.03, size=cu.positions.shape)
            cu.calc = SinglePointCalculator(cu, energy=-29.5, forces=rng.normal(size=(len(cu), 3)),
                                            stress=rng.normal(size=6))
            slab = Atoms('Al4', positions=[[0, 0, 5], [2, 0, 5], [0, 2, 5], [2, 2, 5.1]],
                         cell=[[4, 0, 0], [0.5, 4, 0], [0, 0, 12]], pbc=[True, True, False])
            slab.info['surface'] = '(100)'
            water = molecule('H2O')
            water.calc = SinglePointCalculator(water, energy=-14.22, forces=rng.normal(size=(3, 3)))
            ase.io.write(sys.argv[1], [si, cu, slab, water], format='extxyz')
            print(json.dumps([dump(a) for a in ase.io.read(sys.argv[1], index=':', format='extxyz')]))
            """;

    private static final String READ_WITH_ASE = """
            print(json.dumps([dump(a) for a in ase.io.read(sys.argv[1], index=':', format='extxyz')]))
            """;

    @Test
    @SuppressWarnings("unchecked")
    void readsWhatAseWritesAndAseReadsWhatWeWrite() throws Exception {
        Path aseFile = dir.resolve("ase.extxyz");
        List<Object> expected = (List<Object>) AsePython.run(WRITE_WITH_ASE, aseFile.toString());
        List<Structure> ours = ExtXyz.read(aseFile);
        assertEquals(4, expected.size());
        assertEquals(expected.size(), ours.size());
        for (int k = 0; k < ours.size(); k++) {
            AsePython.assertMatches((Map<String, Object>) expected.get(k), ours.get(k), "ASE-written frame " + k);
        }
        assertEquals("(100)", ours.get(2).info().get("surface"));

        Path ourFile = dir.resolve("ours.extxyz");
        ExtXyz.write(ourFile, ours);
        List<Object> aseView = (List<Object>) AsePython.run(READ_WITH_ASE, ourFile.toString());
        assertEquals(ours.size(), aseView.size());
        for (int k = 0; k < ours.size(); k++) {
            AsePython.assertMatches((Map<String, Object>) aseView.get(k), ours.get(k), "our frame " + k);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void headerValuesAreTypedAsAseTypesThem() throws Exception {
        String header = "Properties=species:S:1:pos:R:3 a = 1 b= 2.5 c =T flag d=\"x y\" e={1 2 3} f='1.5,2.5'"
                + " g=[T F T] h=\"say \\\"hi\\\"\" i=1e3 j=-7 k=abc=def uid=123 l=1,2 m=\"1.0 2 3\" n=-0.0"
                + " o=inf p=\"_JSON [\\\"u\\\", \\\"v w\\\"]\" q=.5 r=5. s=x\\ y virial=\"1.5 2 3 2 5 6 3 6 9\"";
        Path file = dir.resolve("header.extxyz");
        Files.writeString(file, "1\n" + header + "\nH 0 0 0\n");
        Map<String, Object> ase = ((List<Map<String, Object>>) AsePython.run(READ_WITH_ASE, file.toString())).get(0);
        Structure ours = ExtXyz.read(file).get(0);
        AsePython.assertMatches(ase, ours, "header");
    }

    @Test
    void integerStressAndVirialAreReadAsReals() throws Exception {
        // ASE would keep an all-integer stress as integers; a stress is a real tensor, so we read doubles.
        Path file = dir.resolve("int-virial.extxyz");
        Files.writeString(file, "1\nProperties=species:S:1:pos:R:3 virial=\"1 0 0 0 1 0 0 0 1\" stress=\"0 0 0 0 0 0\"\n"
                + "H 0 0 0\n");
        Structure s = ExtXyz.read(file).get(0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                (double[]) s.info().get("virial"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[6], (double[]) s.info().get("stress"));
    }
}
