package org.soapstone.gp;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.DoublePointer;

/**
 * A BLAS operand in native memory aligned to a cache line: a {@link MemorySegment} of doubles and a JavaCPP
 * {@link DoublePointer} over the same bytes, so that OpenBLAS reads and writes it in place. Two reasons. Speed: a
 * Java array passed to a JavaCPP BLAS function is copied into native memory and back by JNI on every call: for the
 * evaluator's 2.6 MB sparse-point matrix and 8 MB variance factor (M = 1000) that copy cost as much as a 32-row
 * product itself, and two workers copying at once competed for memory bandwidth. Determinism: JNI copies an array
 * to wherever {@code malloc} puts it, so its alignment changes from call to call, and a BLAS or LAPACK kernel that
 * peels leading elements to align its loads would then sum in another order; an operand that always starts on a
 * cache line is read the same way every time. Units are the caller's.
 */
public final class NativeDoubles {
    /** Alignment of the segment (bytes): a cache line, and one AVX-512 vector. */
    private static final long ALIGNMENT = 64;

    /** The doubles, laid out as the caller lays them out. */
    public final MemorySegment segment;
    /** The same memory for BLAS (position 0). */
    public final DoublePointer pointer;

    /** @param length the number of doubles, zero-filled, freed when the object becomes unreachable */
    public NativeDoubles(long length) {
        this(Arena.ofAuto(), length);
    }

    /**
     * @param arena the arena that owns (and frees) the memory
     * @param length the number of doubles, zero-filled
     */
    public NativeDoubles(Arena arena, long length) {
        segment = arena.allocate(8 * Math.max(1, length), ALIGNMENT);
        pointer = new DoublePointer(segment.asByteBuffer().order(ByteOrder.nativeOrder()).asDoubleBuffer());
    }

    /** @return a native copy of {@code values}, freed when unreachable */
    public static NativeDoubles of(double[] values) {
        return of(Arena.ofAuto(), values, 0, values.length);
    }

    /** @return a native copy of {@code length} doubles of {@code values} from {@code offset}, owned by {@code arena} */
    public static NativeDoubles of(Arena arena, double[] values, int offset, int length) {
        NativeDoubles d = new NativeDoubles(arena, length);
        MemorySegment.copy(values, offset, d.segment, JAVA_DOUBLE, 0, length);
        return d;
    }

    /** @return a native copy of these doubles */
    public NativeDoubles copy() {
        NativeDoubles d = new NativeDoubles(length());
        d.segment.copyFrom(segment);
        return d;
    }

    /** Copies the first {@code length} doubles into {@code out} from {@code offset}. */
    public void copyTo(double[] out, int offset, int length) {
        MemorySegment.copy(segment, JAVA_DOUBLE, 0, out, offset, length);
    }

    /** @return the number of doubles it holds */
    public long length() {
        return segment.byteSize() / 8;
    }
}
