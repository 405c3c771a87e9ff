package dev.meadow.retry;

import java.time.Duration;

/**
 * Delays between attempts that double from a first delay up to a ceiling, and start again from the first after a
 * success. A first delay of zero retries at once, every time. Not thread-safe: each retrying loop owns one.
 */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private int attempts;

    public Backoff(Duration first, Duration max) {
        if (first.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("a backoff cannot be negative: " + first + ", " + max);
        }
        this.first = first;
        // A ceiling below the first delay means: always the first delay.
        this.max = max.compareTo(first) < 0 ? first : max;
    }

    /** The delay before the next attempt; the one after it is twice as long, up to the ceiling. */
    public Duration next() {
        attempts++;
        return delay(first, max, attempts);
    }

    /** Call after a success: the next failure waits the first delay again. */
    public void reset() {
        attempts = 0;
    }

    /** The delay before attempt {@code attempt} (1 for the first retry) of the same doubling, without state. */
    public static Duration delay(Duration first, Duration max, int attempt) {
        int doublings = Math.max(0, Math.min(30, attempt - 1));
        return min(first.multipliedBy(1L << doublings), max);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
