package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/** Requests of this batch that have not been decoded yet are skipped and reported as cancelled. */
public record BatchCancelled(int version, String batchId, Instant cancelledAt) implements BatchEvent {

    public static final int CURRENT_VERSION = 1;

    public static BatchCancelled of(String batchId, Instant at) {
        return new BatchCancelled(CURRENT_VERSION, batchId, at);
    }

    @Override
    public String key() {
        return batchId + "/cancelled";
    }

    @Override
    public List<String> problems() {
        return Checks.of(version, CURRENT_VERSION)
                .id("batchId", batchId)
                .present("cancelledAt", cancelledAt)
                .problems();
    }
}
