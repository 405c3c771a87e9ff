package dev.meadow.gateway.service;

import java.security.SecureRandom;
import java.time.Instant;

import dev.meadow.gateway.service.gallery.BatchMembership;

/**
 * Batch and job ids. A batch id sorts by submission time; a job id is its batch id plus the job's index, so
 * every image of a batch shares a key prefix in the object store.
 */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private JobIds() {}

    /** 9 characters of milliseconds since the epoch in base 32, then 6 random ones. */
    public static String newBatchId(Instant now) {
        StringBuilder id = new StringBuilder(15);
        long millis = now.toEpochMilli();
        char[] time = new char[9];
        for (int i = 8; i >= 0; i--) {
            time[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        id.append(time);
        for (int i = 0; i < 6; i++) {
            id.append(ALPHABET[RANDOM.nextInt(32)]);
        }
        return id.toString();
    }

    public static String jobId(String batchId, int index) {
        return BatchMembership.jobId(batchId, index);
    }

    /** The seed of item {@code index} of a batch whose items give none: a fixed function of the batch seed. */
    public static long derivedSeed(long batchSeed, int index) {
        long z = batchSeed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & 0x7fff_ffffL;
    }

    /** A non-negative seed for requests that gave none. */
    public static long randomSeed() {
        return RANDOM.nextLong() & 0x7fff_ffffL;
    }
}
