package dev.meadow.gateway.service.gallery;

import java.util.Locale;

/**
 * Whether a job that a topic speaks of belongs to a batch the gateway queued: its id is its batch's id and index,
 * and its index lies below the batch's total. The gallery shows and counts only such jobs, so that a record written
 * by anyone else (a forged result, a replayed one from another installation) never reaches a page or a counter, and
 * a batch's counters never pass its total.
 */
public final class BatchMembership {

    public enum Kind {
        /** It belongs: show and count it. */
        MEMBER,
        /** Its batch is not known yet: it may be on its way (the batches topic is read beside the others). */
        UNKNOWN_BATCH,
        /** It can never belong: refuse it, with the reason. */
        REFUSED
    }

    public record Verdict(Kind kind, String reason) {}

    private static final Verdict MEMBER = new Verdict(Kind.MEMBER, null);
    private static final Verdict UNKNOWN = new Verdict(Kind.UNKNOWN_BATCH, null);

    private BatchMembership() {}

    /** A job's id: its batch's id and its index (JobIds hands them out; the gallery admits only those). */
    public static String jobId(String batchId, int index) {
        return batchId + "-" + String.format(Locale.ROOT, "%06d", index);
    }

    /** @param total the batch's total, or null while its submission has not been read */
    public static Verdict of(String jobId, String batchId, int index, Integer total) {
        if (index < 0 || !jobId.equals(jobId(batchId, index))) {
            return new Verdict(Kind.REFUSED, "job id " + jobId + " is not batch " + batchId + "'s job number " + index);
        }
        if (total == null) {
            return UNKNOWN;
        }
        if (index >= total) {
            return new Verdict(
                    Kind.REFUSED, "job " + jobId + " has index " + index + ", not below its batch's total " + total);
        }
        return MEMBER;
    }

    /** The reason for a job whose batch is still unknown once every submission has been read. */
    public static String unknownBatch(String jobId, String batchId) {
        return "job " + jobId + " names batch " + batchId + ", which was never submitted";
    }
}
