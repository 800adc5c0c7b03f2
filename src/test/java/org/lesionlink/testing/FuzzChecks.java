package org.lesionlink.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The properties every decoder fuzz test checks (issue 12, "bad input"), shared so that each test states them the
 * same way:
 *
 * <ul>
 *   <li>only the decoder's named exception types may escape ({@link #onlyThrows});</li>
 *   <li>memory follows the bytes that arrived, not a length field: the bytes <em>allocated</em> by this thread while
 *       decoding stay under a fixed allowance plus a multiple of the input ({@link #assertAllocationWithin}; the
 *       input is decoded three times and the cheaper of the last two passes counts, so one-time work does not);</li>
 *   <li>network input is cut into chunks at fuzzer-chosen places ({@link #chunks}), and every inbound buffer is
 *       released by the pipeline ({@link #assertReleased}).</li>
 * </ul>
 * Hangs are caught by {@code @Timeout} on each fuzz test (Jazzer turns it into libFuzzer's per-input timeout).
 */
public final class FuzzChecks {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzChecks() {
    }

    /**
     * Runs {@code body}; any exception other than an instance of {@code allowed} fails the test (with the
     * exception as cause, so the fuzzer reports its stack). Returns the allowed exception, or null.
     */
    @SafeVarargs
    public static Throwable onlyThrows(ThrowingRunnable body, Class<? extends Throwable>... allowed) {
        try {
            body.run();
            return null;
        } catch (Throwable t) {
            for (Class<? extends Throwable> c : allowed) {
                if (c.isInstance(t)) {
                    return t;
                }
            }
            throw new AssertionError("unexpected " + t.getClass().getName() + ": " + t.getMessage(), t);
        }
    }

    /**
     * Runs {@code decode} three times (all its checks apply each time) and fails when both the second and the third
     * run allocated more than {@code fixed + perInputByte * inputLength} bytes on this thread: a length field that
     * drives allocation beyond what arrived shows up here even when the allocation succeeded. Allocation driven by
     * the input repeats on every pass; one-time work on this thread does not (class initialisation in the first
     * pass; while fuzzing, Jazzer's own bookkeeping: a CI run once measured 6 MB in the second pass of a 160-byte
     * input that stays far under its allowance when replayed).
     */
    public static void assertAllocationWithin(long fixed, long perInputByte, int inputLength, String what,
            ThrowingRunnable decode) {
        runUnchecked(decode);
        long t0 = THREADS.getCurrentThreadAllocatedBytes();
        runUnchecked(decode);
        long t1 = THREADS.getCurrentThreadAllocatedBytes();
        runUnchecked(decode);
        long used = Math.min(t1 - t0, THREADS.getCurrentThreadAllocatedBytes() - t1);
        long allowed = fixed + perInputByte * inputLength;
        if (used > allowed) {
            fail(what + ": allocated " + used + " bytes for " + inputLength + " input bytes (allowed " + allowed + ")");
        }
    }

    private static void runUnchecked(ThrowingRunnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("unexpected " + t, t);
        }
    }

    /** A body that may throw anything. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Throwable;
    }

    /**
     * Cuts {@code data} into network reads: the first byte (when present) picks the chunk size 1..256 (0 = all in
     * one read), the rest is the stream. Fixed so that a saved input replays identically.
     */
    public static List<ByteBuf> chunks(byte[] data) {
        List<ByteBuf> out = new ArrayList<>();
        if (data.length == 0) {
            return out;
        }
        int size = data[0] & 0xFF;
        int step = size == 0 ? Math.max(1, data.length - 1) : size;
        for (int i = 1; i < data.length; i += step) {
            int n = Math.min(step, data.length - i);
            out.add(Unpooled.copiedBuffer(data, i, n));
        }
        return out;
    }

    /** The stream part of a {@link #chunks} input (without the chunk-size byte). */
    public static int streamLength(byte[] data) {
        return Math.max(0, data.length - 1);
    }

    /** Every inbound buffer must have been released by the pipeline that read it. */
    public static void assertReleased(List<ByteBuf> inputs) {
        for (int i = 0; i < inputs.size(); i++) {
            int refCnt = inputs.get(i).refCnt();
            assertTrue(refCnt == 0, "inbound buffer " + i + " of " + inputs.size() + " still has refCnt " + refCnt);
        }
    }
}
