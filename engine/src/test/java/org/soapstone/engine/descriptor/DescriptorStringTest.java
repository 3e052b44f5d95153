package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.testing.SharedData;

/** gap_fit descriptor strings: keys, defaults, fit keys, add_species, and clear errors. */
class DescriptorStringTest {

    @Test
    void soapStringFromTheIssueWithFitKeys() {
        DescriptorSpec spec = DescriptorString.parse("soap cutoff=5.0 n_max=8 l_max=8 atom_sigma=0.5 "
                + "cutoff_transition_width=0.5 central_weight=1.0 n_species=1 species_Z={14} zeta=4 delta=1.0 "
                + "covariance_type=dot_product n_sparse=200 sparse_method=cur_points add_species=F");
        SoapParameters p = (SoapParameters) spec.descriptor();
        assertEquals(5.0, p.cutoff());
        assertEquals(8, p.basis().nMax());
        assertEquals(8, p.basis().lMax());
        assertEquals(0.5, p.density().atomSigma());
        assertArrayEquals(new int[] {14}, p.species().channels());
        assertArrayEquals(new int[] {0}, p.species().centres());
        assertTrue(p.density().centralReferenceAllSpecies(), "QUIP's default for n_species=1");
        assertTrue(p.spectrum().normalise());
        assertEquals(325, p.dimension());
        FitParameters f = spec.fit();
        assertEquals(4.0, f.zeta().orElseThrow());
        assertEquals(1.0, f.delta().orElseThrow());
        assertEquals(CovarianceType.DOT_PRODUCT, f.covarianceType().orElseThrow());
        assertEquals(200, f.nSparse());
        assertEquals(SparseMethod.CUR_POINTS, f.sparseMethod());
        assertFalse(f.addSpecies());
        f.requireForFit();
    }

    @Test
    void withDeltaReplacesEitherSpellingAndKeepsTheRest() {
        DescriptorSpec spec = DescriptorString.parse("soap cutoff=4 n_max=4 l_max=3 atom_sigma=0.4 energy_scale=2.5 "
                + "zeta=2 covariance_type=dot_product n_sparse=20 add_species=F");
        DescriptorSpec tuned = spec.withDelta(1.25);
        assertEquals(1.25, tuned.fit().delta().orElseThrow());
        assertFalse(tuned.text().contains("energy_scale"), tuned.text());
        assertEquals(spec.descriptor(), tuned.descriptor());
        assertEquals(2.0, tuned.fit().zeta().orElseThrow());
        assertEquals(20, tuned.fit().nSparse());
        assertTrue(spec.withDelta(2.5) == spec, "an unchanged δ keeps the spec");
        DescriptorSpec none = DescriptorString.parse("soap cutoff=4 n_max=4 l_max=3 atom_sigma=0.4").withDelta(0.5);
        assertEquals(0.5, none.fit().delta().orElseThrow());
    }

    @Test
    void defaultsAlternativeSpellingsAndCase() {
        DescriptorSpec spec = DescriptorString.parse("SOAP Cutoff=4 N_MAX=4 l_max=3 atom_gaussian_width=0.4 "
                + "normalize=F n_species=2 species_Z={6 1} Z=6 theta_fac=0.5 energy_scale=2.5");
        SoapParameters p = (SoapParameters) spec.descriptor();
        assertEquals(0.5, p.cutoffFunction().transitionWidth());
        assertEquals(0.4, p.density().atomSigma());
        assertFalse(p.spectrum().normalise());
        assertFalse(p.density().centralReferenceAllSpecies(), "QUIP's default for n_species > 1");
        assertArrayEquals(new int[] {6}, p.species().centres());
        assertEquals(10.0, p.basis().errorExponent());
        assertTrue(spec.fit().addSpecies(), "gap_fit's default");
        assertEquals(SparseMethod.RANDOM, spec.fit().sparseMethod());
        assertArrayEquals(new double[] {0.5}, spec.fit().lengthscaleFactor());
        assertEquals(2.5, spec.fit().delta().orElseThrow());
        assertTrue(spec.fit().zeta().isEmpty());
        DescriptorStringException missing = assertThrows(DescriptorStringException.class,
                () -> spec.fit().requireForFit());
        assertTrue(missing.getMessage().contains("covariance_type"), missing.getMessage());
        // an old model (xml_version before 2015) always had the central Gaussian in every channel
        SoapParameters old = (SoapParameters) DescriptorString.parse("soap cutoff=4 n_max=4 l_max=3 atom_sigma=0.4 "
                + "n_species=2 species_Z={6 1} xml_version=1423143769").descriptor();
        assertTrue(old.density().centralReferenceAllSpecies());
        // quip appends the model's GAP version to every descriptor string it reads
        assertFalse(((SoapParameters) DescriptorString.parse("soap cutoff=4 n_max=4 l_max=3 atom_sigma=0.4 "
                + "n_species=2 species_Z={6 1} xml_version=1686220958").descriptor()).density()
                .centralReferenceAllSpecies());
        assertEquals(4.0, DescriptorString.parse("distance_2b cutoff=4 xml_version=1686220958").descriptor().cutoff());
    }

    @Test
    void distance2bWithFitKeys() {
        DescriptorSpec spec = DescriptorString.parse("distance_2b cutoff=4.0 cutoff_transition_width=0.5 "
                + "covariance_type=ard_se delta=0.5 theta_uniform=1.0 sparse_method=uniform n_sparse=15 Z1=14 Z2=6");
        Distance2bParameters p = (Distance2bParameters) spec.descriptor();
        assertEquals(4.0, p.cutoff());
        assertEquals(14, p.z1());
        assertEquals(6, p.z2());
        assertArrayEquals(new double[] {1}, p.exponents());
        assertTrue(p.matches(6, 14) && p.matches(14, 6) && !p.matches(14, 14));
        assertEquals(1.0, spec.fit().thetaUniform().orElseThrow());
        assertEquals(CovarianceType.ARD_SE, spec.fit().covarianceType().orElseThrow());
        assertEquals(SparseMethod.UNIFORM, spec.fit().sparseMethod());
        assertEquals(1, spec.create().dimension());
        assertArrayEquals(new double[] {-1, -2, -3},
                ((Distance2bParameters) DescriptorString.parse("distance_2b cutoff=3 n_exponents=3").descriptor())
                        .exponents());
    }

    /** gap_fit's add_species gives exactly the descriptor strings gap_fit wrote into the SiC model. */
    @Test
    void addSpeciesReproducesTheStringsGapFitWrote() throws Exception {
        Path xml = SharedData.gapFit("sic-2b-soap").resolve("gp.xml");
        String text = Files.readString(xml);
        Matcher cmd = Pattern.compile("gap=\\{(.*?)\\} default_sigma").matcher(text);
        assertTrue(cmd.find(), "command line in " + xml);
        List<DescriptorSpec> templates = DescriptorString.parseAll("{" + cmd.group(1) + "}");
        assertEquals(2, templates.size());
        int[] species = {14, 6}; // gap_fit's order: first appearance in the training file
        List<DescriptorSpec> expanded = new java.util.ArrayList<>();
        for (DescriptorSpec t : templates) {
            expanded.addAll(t.addSpecies(species));
        }
        Matcher d = Pattern.compile("<descriptor>(.*?)</descriptor>").matcher(text);
        int k = 0;
        while (d.find()) {
            DescriptorSpec written = DescriptorString.parse(d.group(1));
            assertEquals(written.descriptor(), expanded.get(k).descriptor(), "descriptor " + k);
            assertEquals(written.fit().sparseMethod(), expanded.get(k).fit().sparseMethod());
            assertEquals(written.fit().nSparse(), expanded.get(k).fit().nSparse());
            k++;
        }
        assertEquals(5, k);
        assertEquals(5, expanded.size());
    }

    private static void assertError(String text, String... fragments) {
        DescriptorStringException e = assertThrows(DescriptorStringException.class,
                () -> DescriptorString.parse(text), text);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void compressionAverageAndRadialBasisKeysAreRead() {
        String ok = "soap cutoff=5.0 n_max=4 l_max=3 atom_sigma=0.5 n_species=3 species_Z={1 6 8} ";
        SoapParameters p = (SoapParameters) DescriptorString.parse(ok + "Z_mix=T sym_mix K=2 coupling=F "
                + "mix_shift=3").descriptor();
        assertEquals(new SoapParameters.Compression(true, false, true, false, 2, 3), p.spectrum().compression());
        assertEquals(4 * (2 * 4 * 5 / 2) + 1, p.dimension(), "K n(n+1)/2 elementwise pairs per l");
        SoapParameters r = (SoapParameters) DescriptorString.parse(ok + "R_mix=T K=2").descriptor();
        assertEquals(4 * 6 * 6 + 1, r.dimension(), "K₁ = K n_species, the full tensor product");
        SoapParameters a = (SoapParameters) DescriptorString.parseToDescribe(ok + "average").descriptor();
        assertTrue(a.spectrum().average(), "a bare key means T");
        assertEquals(SoapParameters.RadialBasis.GTO, ((SoapParameters) DescriptorString.parse(ok
                + "radial_basis=gto").descriptor()).basis().radialBasis(), "values are case-insensitive");
        assertEquals(((SoapParameters) DescriptorString.parse(ok).descriptor()).dimension(), a.dimension());
    }

    @Test
    void badStringsGiveErrorsNamingTheKeyAndWhatIsAllowed() {
        String ok = "soap cutoff=5.0 n_max=8 l_max=8 atom_sigma=0.5 ";
        assertError(ok + "n_maxx=3", "unknown key 'n_maxx'", "n_max");
        assertError(ok + "zeta=abc", "zeta=abc", "number");
        assertError("soap cutoff=5.0 l_max=8 atom_sigma=0.5", "n_max is missing");
        assertError(ok.replace("n_max=8", "n_max=2.5"), "n_max=2.5", "integer");
        assertError(ok.replace("cutoff=5.0", "cutoff=-1"), "cutoff=-1", "positive");
        assertError(ok + "cutoff_transition_width=6", "cutoff_transition_width", "(0, cutoff]");
        assertError(ok + "n_species=2 species_Z={14}", "species_Z has 1 values but n_species=2");
        assertError(ok + "n_species=2", "needs species_Z");
        assertError(ok + "species_Z={14}", "species_Z is given without n_species");
        assertError(ok + "n_species=2 species_Z={14 14}", "species_Z", "twice");
        assertError(ok + "normalise=maybe", "normalise=maybe", "T or F");
        assertError(ok + "sparse_method=best", "sparse_method=best", "cur_points");
        assertError(ok + "covariance_type=linear", "covariance_type=linear", "dot_product");
        assertError(ok + "radial_basis=SPLINE", "radial_basis=SPLINE", "EQUISPACED_GAUSS, GTO or POLY");
        assertError(ok + "average=T", "average", "not supported");
        assertError(ok + "average", "average=T", "describe");
        assertError(ok + "sym_mix=T", "sym_mix=T", "Z_mix=T or R_mix=T");
        assertError(ok + "Z_mix=T", "K=0", "Z_mix");
        assertError(ok + "R_mix=T K=-1", "K=-1", "≥ 0");
        assertError(ok + "nu_R=1", "nu_r=1", "not supported");
        assertError(ok + "diagonal_radial=T", "diagonal_radial=T", "not supported");
        assertError(ok + "Z_map={{14}}", "z_map", "not supported");
        assertError(ok + "n_species=2 species_Z={14 6", "unbalanced");
        assertError("soap_turbo l_max=8", "unsupported descriptor type 'soap_turbo'", "soap, distance_2b");
        assertError("cutoff=5 soap", "must start with the descriptor type");
        assertError("distance_2b", "cutoff=0.0", "positive");
        assertError("distance_2b cutoff=4 only_intra=T", "only_intra", "not supported");
        assertError("distance_2b cutoff=4 n_exponents=2 exponents={1}", "exponents has 1 values but n_exponents=2");
        assertError("distance_2b cutoff=4 Z1=200", "Z1=200", "atomic number");
        assertError("", "empty descriptor string");
        assertError(ok + "xml_version=1400000000", "xml_version=1400000000", "not supported");
    }
}
