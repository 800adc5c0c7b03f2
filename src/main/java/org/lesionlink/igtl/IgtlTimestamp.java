package org.lesionlink.igtl;

import java.time.Instant;

/**
 * The header's 64-bit {@code TIMESTAMP} ("timestamp.md"; header.md section "Header"): unsigned fixed
 * point, upper 32 bits whole seconds since 1970-01-01 UTC, lower 32 bits the fraction of a second in units
 * of 2<sup>-32</sup>. The value 0 means "not set" and is common (every Debian example server sends it).
 * The seconds field wraps in 2106.
 *
 * <p>Conversions round to the nearest unit, so nanoseconds survive a round trip exactly (a fraction unit
 * is about 0.23 ns).
 */
public final class IgtlTimestamp {

    /** The "no timestamp" value. */
    public static final long UNSET = 0;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private IgtlTimestamp() {
    }

    /** Wire value of a point in time; it must lie in [1970, 2106). */
    public static long fromInstant(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(t + " is outside the OpenIGTLink timestamp range 1970..2106");
        }
        return seconds << 32 | nanosToFraction(t.getNano());
    }

    /** Wire value of nanoseconds since the epoch (e.g. from a clock); it must lie in [1970, 2106). */
    public static long fromEpochNanos(long epochNanos) {
        if (epochNanos < 0) {
            throw new IllegalArgumentException("timestamps before 1970 cannot be sent: " + epochNanos + " ns");
        }
        long seconds = epochNanos / NANOS_PER_SECOND;
        if (seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(epochNanos + " ns since the epoch (" + Instant.ofEpochSecond(seconds)
                    + ") is outside the OpenIGTLink timestamp range 1970..2106");
        }
        return seconds << 32 | nanosToFraction((int) (epochNanos % NANOS_PER_SECOND));
    }

    /** The instant of a wire value, which is read as unsigned. */
    public static Instant toInstant(long timestamp) {
        return Instant.ofEpochSecond(timestamp >>> 32, fractionToNanos(timestamp & 0xFFFF_FFFFL));
    }

    /** Nanoseconds since the epoch of a wire value. */
    public static long toEpochNanos(long timestamp) {
        return (timestamp >>> 32) * NANOS_PER_SECOND + fractionToNanos(timestamp & 0xFFFF_FFFFL);
    }

    static long nanosToFraction(int nanos) {
        return ((long) nanos << 32) / NANOS_PER_SECOND + ((((long) nanos << 32) % NANOS_PER_SECOND) * 2 >= NANOS_PER_SECOND ? 1 : 0);
    }

    static int fractionToNanos(long fraction) {
        long scaled = fraction * NANOS_PER_SECOND; // < 2^32 * 1e9 < 2^63
        long nanos = (scaled + (1L << 31)) >>> 32;
        return (int) Math.min(nanos, NANOS_PER_SECOND - 1);
    }
}
