package org.soapstone.engine.io;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.soapstone.engine.structure.Structure;

/**
 * Extended XYZ, read and written as ASE ({@code ase.io.extxyz}, 3.22) and QUIP/libAtoms do.
 *
 * <p>A frame is an atom-count line, a header line of {@code key=value} pairs and one line per atom whose columns
 * {@code Properties=name:type:columns:…} declares (type R real, I integer, L logical, S string).
 *
 * <h2>File → {@link Structure}</h2>
 * <ul>
 *   <li>{@code species:S:1} → {@link Structure#numbers()} (symbols capitalised as ASE does: {@code SI} is Si).
 *       Without {@code species}, a {@code Z:I:1} column gives the atomic numbers; with both, {@code Z} is an
 *       ordinary property.
 *   <li>{@code pos:R:3} → positions (Å); {@code velo:R:3} → velocities (Å/fs, QUIP's name);
 *       {@code masses:R:1} → masses (amu), otherwise the standard masses of
 *       {@link org.soapstone.engine.structure.Element}. QUIP's {@code mass} column is in eV·fs²/Å², not amu, so it
 *       is kept as an ordinary property, as ASE does.
 *   <li>every other column ({@code forces}, {@code local_energy}, {@code momenta}, {@code tags}, {@code Z} …) →
 *       {@link Structure#properties()}, in file order, with its type and number of columns.
 *   <li>{@code Lattice="ax ay az bx by bz cx cy cz"} → the cell (rows a, b, c, Å); {@code pbc="T T F"} → its
 *       periodicity, by default {@code T T T} with a {@code Lattice} and {@code F F F} without (as ASE). A
 *       periodic frame without {@code Lattice} is an error. Without {@code Properties=} a frame is
 *       {@code species:S:1:pos:R:3}.
 *   <li>every other key → {@link Structure#info()} in file order: integers → {@code Long}, reals →
 *       {@code Double}, {@code T F True False true false} → {@code Boolean}; lists (separated by blanks or commas,
 *       in {@code "…"}, {@code '…'}, {@code {…}} or {@code […]}) → {@code long[]}, {@code double[]},
 *       {@code boolean[]}; ASE's {@code _JSON [...]} flat arrays → those or {@code String[]}; anything else →
 *       {@code String} (escaped quotes {@code \"} resolved). A key without {@code =} is {@code true}; blanks
 *       around {@code =} are allowed; {@code stress} and {@code virial} are {@code double[]} as written (9 values
 *       of a 3×3 matrix, row-major = column-major for these symmetric tensors, or 6). A {@code uid} stays a string.
 * </ul>
 * Stricter than ASE: an atom line with more columns than declared is an error (ASE ignores the extra columns).
 * Blank lines between frames are skipped.
 *
 * <h2>{@link Structure} → file</h2>
 * Header: {@code Lattice="…"} (omitted when the cell is all zero), {@code Properties=species:S:1:pos:R:3},
 * then {@code :velo:R:3} if there are velocities, {@code :masses:R:1} if any mass differs from the standard one
 * (or a property is named {@code mass}), then every property in order; then every info key in order; then
 * {@code pbc="T T T"}. Reals are written in Java's shortest round-trip form ({@link Double#toString(double)}), so
 * read → write → read is bit-identical; booleans as {@code T}/{@code F}; strings quoted and escaped when needed.
 * A 6-value {@code stress} or {@code virial} (Voigt order xx, yy, zz, yz, xz, xy, as ASE) is written as the full
 * 3×3 matrix, the only form ASE reads.
 * A string info value that looks like a number or boolean reads back as one (as in ASE).
 *
 * <p>A file whose name ends in {@code .gz} is read and written gzip-compressed. Bad input raises
 * {@link ExtXyzFormatException} naming file, line, frame and field.
 *
 * <p>Format references: ASE {@code ase/io/extxyz.py}; libAtoms/QUIP extended XYZ documentation
 * (https://libatoms.github.io/QUIP/io.html#extendedxyz).
 */
public final class ExtXyz {
    private ExtXyz() {}

    /**
     * @return every frame of the file (positions Å, velocities Å/fs, masses amu)
     * @throws ExtXyzFormatException if the file is malformed
     */
    public static List<Structure> read(Path file) throws IOException {
        try (ExtXyzReader reader = open(file)) {
            List<Structure> frames = new ArrayList<>();
            reader.forEachRemaining(frames::add);
            return frames;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** @return a reader that streams the file's frames one at a time; close it when done */
    public static ExtXyzReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (isGzip(file)) {
                in = new GZIPInputStream(in, 1 << 16);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new ExtXyzReader(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16),
                file.toString());
    }

    /**
     * Writes all frames atomically: the file is replaced only once every frame has been written; if any frame
     * fails, an existing file is left untouched and no temporary file remains.
     *
     * @throws IllegalArgumentException if a structure cannot be written faithfully (see {@link ExtXyzWriter#write})
     */
    public static void write(Path file, Iterable<Structure> frames) throws IOException {
        try (ExtXyzWriter writer = create(file)) {
            for (Structure s : frames) {
                writer.write(s);
            }
            writer.commit();
        }
    }

    /** @return an atomic writer to {@code file}: {@code commit()} renames the frames into place */
    public static ExtXyzWriter create(Path file) throws IOException {
        return new ExtXyzWriter(file);
    }

    /**
     * Appends one complete frame to {@code file} (created if absent) with a single write followed by an fsync, for
     * logging reference calculations as they happen. A crash can at worst leave a truncated last frame, which
     * {@link ExtXyzReader} reports with file and line. For a {@code .gz} file the frame is appended as a separate
     * gzip member (a valid gzip file).
     *
     * @throws IllegalArgumentException if the structure cannot be written faithfully; nothing is then written
     */
    public static void appendFrame(Path file, Structure s) throws IOException {
        StringBuilder text = new StringBuilder();
        FrameFormatter.format(s, text);
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (isGzip(file)) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(bytes.length / 3 + 64);
            try (GZIPOutputStream gz = new GZIPOutputStream(buffer)) {
                gz.write(bytes);
            }
            bytes = buffer.toByteArray();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    static boolean isGzip(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().endsWith(".gz");
    }
}
