package dev.meadow.service.messaging;

import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * The failure strategy of the exactly-once channels ({@code failure-strategy=exit-on-fatal-transaction}): like
 * {@code ignore} (the records stay uncommitted and are read again after a rebalance or restart), except that a
 * failure which left the transactional producer unusable exits the instance. SmallRye reports a failed commit only
 * here, as a nack; the processing method never sees it.
 */
@ApplicationScoped
@Identifier("exit-on-fatal-transaction")
public class ExitOnFatalTransaction implements KafkaFailureHandler.Factory {

    private static final Logger LOG = Logger.getLogger(ExitOnFatalTransaction.class);

    private final FatalTransactions fatal;

    public ExitOnFatalTransaction(FatalTransactions fatal) {
        this.fatal = fatal;
    }

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        String channel = config.getChannel();
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                LOG.warnf("A batch of channel %s failed and stays uncommitted: %s", channel, reason.getMessage());
                fatal.onFailure(channel, reason);
                return Uni.createFrom().voidItem();
            }
        };
    }
}
