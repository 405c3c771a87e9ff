package dev.meadow.service.messaging;

import java.util.function.BiConsumer;

import io.quarkus.runtime.Quarkus;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * The failure strategy of the exactly-once channels ({@code failure-strategy=exit-on-fatal-transaction}): like
 * {@code ignore} (the records stay uncommitted and are read again after a rebalance or restart), except that a
 * failure which left the transactional producer unusable exits the instance. Such a producer (fenced by a newer
 * instance, or its transaction aborted by the coordinator after a broker's loss outlasted the transaction timeout)
 * refuses every later transaction while the consumer beside it keeps taking records it can never commit, so its
 * partitions would stall for good. Whatever supervises the instance ({@code meadow up}, Docker's restart policy)
 * starts it again with a new producer, and its partitions resume from the last committed offsets. SmallRye reports
 * a failed commit only here, as a nack; the processing method never sees it.
 */
@ApplicationScoped
@Identifier("exit-on-fatal-transaction")
public class ExitOnFatalTransaction implements KafkaFailureHandler.Factory {

    private static final Logger LOG = Logger.getLogger(ExitOnFatalTransaction.class);
    /** The producer's own words once it is in a fatal state (KafkaException, no subclass of its own). */
    private static final String ERROR_STATE = "because we are in an error state";
    /**
     * The producer's words when a commit timed out: only that same commit may follow, which the messaging layer never
     * retries, so every later transaction is refused (IllegalStateException).
     */
    private static final String COMMIT_TIMED_OUT = "timed out and must be retried";

    @Override
    public KafkaFailureHandler create(
            KafkaConnectorIncomingConfiguration config,
            Vertx vertx,
            KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        String channel = config.getChannel();
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                if (isFatal(reason)) {
                    LOG.errorf(
                            reason,
                            "The transactional producer of channel %s can no longer commit; exiting so "
                                    + "that a restart brings a new one (the partitions resume from their committed offsets)",
                            channel);
                    Quarkus.asyncExit(1);
                } else {
                    LOG.warnf("A batch of channel %s failed and stays uncommitted: %s", channel, reason.getMessage());
                }
                return Uni.createFrom().voidItem();
            }
        };
    }

    static boolean isFatal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException
                    || t instanceof InvalidTxnStateException
                    || t instanceof OutOfOrderSequenceException
                    || t instanceof TransactionalIdAuthorizationException) {
                return true;
            }
            if (t instanceof KafkaException
                    && t.getMessage() != null
                    && t.getMessage().contains(ERROR_STATE)) {
                return true;
            }
            if (t instanceof IllegalStateException
                    && t.getMessage() != null
                    && t.getMessage().contains(COMMIT_TIMED_OUT)) {
                return true;
            }
        }
        return false;
    }
}
