package dev.meadow.service.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Quarkus;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.jboss.logging.Logger;

/**
 * A transactional producer that met a fatal error (fenced by a newer instance, or its transaction aborted by the
 * coordinator after a broker loss outlasted the transaction timeout) refuses every later transaction, while the
 * consumer beside it keeps taking records it can never commit: its partitions would stall for good. Only a new
 * producer recovers, so the instance exits and whatever supervises it ({@code meadow up}, Docker's restart policy)
 * starts it again; its partitions resume from the last committed offsets, and nothing is lost or duplicated.
 */
@ApplicationScoped
public class FatalTransactions {

    private static final Logger LOG = Logger.getLogger(FatalTransactions.class);
    /** The producer's own words once it is in a fatal state (KafkaException, no subclass of its own). */
    private static final String ERROR_STATE = "because we are in an error state";

    /** Exits the instance when {@code failure} left the transactional producer unusable; otherwise does nothing. */
    public void onFailure(String channel, Throwable failure) {
        if (isFatal(failure)) {
            LOG.errorf(failure, "The transactional producer of channel %s can no longer commit; exiting so that a "
                    + "restart brings a new one (the partitions resume from their committed offsets)", channel);
            Quarkus.asyncExit(1);
        }
    }

    static boolean isFatal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof InvalidTxnStateException || t instanceof OutOfOrderSequenceException
                    || t instanceof TransactionalIdAuthorizationException) {
                return true;
            }
            if (t instanceof KafkaException && t.getMessage() != null && t.getMessage().contains(ERROR_STATE)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
