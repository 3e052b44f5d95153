package org.soapstone.engine.evaluator;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.DoublePointer;

/**
 * A BLAS operand in native memory: a {@link MemorySegment} of doubles and a JavaCPP {@link DoublePointer} over the
 * same bytes, so that OpenBLAS reads and writes it in place. A Java array passed to a JavaCPP BLAS function is
 * copied into native memory and back by JNI on every call: for the evaluator's 2.6 MB sparse-point matrix and
 * 8 MB variance factor (M = 1000) that copy cost as much as a 32-row product itself, and two workers copying at
 * once competed for memory bandwidth. The memory is freed when the object becomes unreachable (an automatic
 * {@link Arena}). Units are the caller's.
 */
final class NativeDoubles {
    /** Alignment of the segment (bytes): a cache line, and one AVX-512 vector. */
    private static final long ALIGNMENT = 64;

    /** The doubles, row-major as the caller lays them out. */
    final MemorySegment segment;
    /** The same memory for BLAS (position 0). */
    final DoublePointer pointer;

    /** @param length the number of doubles, zero-filled */
    NativeDoubles(long length) {
        segment = Arena.ofAuto().allocate(8 * Math.max(1, length), ALIGNMENT);
        pointer = new DoublePointer(segment.asByteBuffer().order(ByteOrder.nativeOrder()).asDoubleBuffer());
    }

    /** @return a native copy of {@code values} */
    static NativeDoubles of(double[] values) {
        NativeDoubles d = new NativeDoubles(values.length);
        MemorySegment.copy(values, 0, d.segment, JAVA_DOUBLE, 0, values.length);
        return d;
    }

    /** @return a native copy of these doubles */
    NativeDoubles copy() {
        NativeDoubles d = new NativeDoubles(length());
        d.segment.copyFrom(segment);
        return d;
    }

    /** @return the number of doubles it holds */
    long length() {
        return segment.byteSize() / 8;
    }
}
