package dev.meadow.service.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class ExitOnFatalTransactionTest {

    @Test
    void aTransactionAbortedByTheCoordinatorOrAFencedProducerIsFatal() {
        // As seen when a broker's loss outlasted the generator's transaction timeout.
        assertThat(ExitOnFatalTransaction.isFatal(new InvalidTxnStateException(
                        "The producer attempted a transactional operation in an invalid state.")))
                .isTrue();
        assertThat(ExitOnFatalTransaction.isFatal(new CompletionException(new ProducerFencedException("newer epoch"))))
                .isTrue();
        assertThat(ExitOnFatalTransaction.isFatal(new KafkaException(
                        "Cannot execute transactional method because we are in an error state",
                        new TimeoutException("expired"))))
                .isTrue();
        // As seen when a commit outlasted a broker's loss: no later transaction can begin.
        assertThat(ExitOnFatalTransaction.isFatal(new IllegalStateException(
                        "Cannot attempt operation `beginTransaction` because the previous call to `commitTransaction` "
                                + "timed out and must be retried")))
                .isTrue();
    }

    @Test
    void errorsTheProducerRetriesOrAbortsAreNot() {
        assertThat(ExitOnFatalTransaction.isFatal(new NotEnoughReplicasException("ISR 1 < 2")))
                .isFalse();
        assertThat(ExitOnFatalTransaction.isFatal(new TimeoutException("metadata")))
                .isFalse();
        assertThat(ExitOnFatalTransaction.isFatal(
                        new IllegalStateException("SRMSG18025: Partition rebalance during exactly-once processing")))
                .isFalse();
        assertThat(ExitOnFatalTransaction.isFatal(new IllegalStateException("no CLIP model is active yet")))
                .isFalse();
        assertThat(ExitOnFatalTransaction.isFatal(null)).isFalse();
    }
}
