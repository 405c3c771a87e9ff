package dev.meadow.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.meadow.dataset.InvalidSnapshotException;
import dev.meadow.storage.ObjectNotFoundException;
import dev.meadow.storage.ObjectStoreException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which failures the training queue waits out (outages) and which end a run (everything else). */
class TrainingJobOutageTest {

    @Test
    void storeAndBrokerOutagesAreWaitedOut() {
        assertThat(TrainingJob.isOutage(new ObjectStoreException("stat x failed: connection refused")))
                .isTrue();
        assertThat(TrainingJob.isOutage(
                        new IllegalStateException("publishing failed", new TimeoutException("no broker"))))
                .isTrue();
        assertThat(TrainingJob.isOutage(new UncheckedIOException(new IOException("reset"))))
                .isTrue();
    }

    @Test
    void badDataAndBugsEndTheRun() {
        assertThat(TrainingJob.isOutage(new ObjectNotFoundException("meadow-embeddings", "a/b.emb")))
                .isFalse();
        assertThat(TrainingJob.isOutage(new InvalidSnapshotException("no captions")))
                .isFalse();
        assertThat(TrainingJob.isOutage(new NullPointerException())).isFalse();
        assertThat(TrainingJob.isOutage(new IllegalArgumentException("batch size must be at least 2")))
                .isFalse();
    }
}
