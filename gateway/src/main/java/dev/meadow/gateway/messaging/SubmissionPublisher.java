package dev.meadow.gateway.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.meadow.contracts.BatchSubmitted;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.ModelEvent;
import dev.meadow.contracts.Topics;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import dev.meadow.service.config.KafkaTopicsConfig;
import dev.meadow.service.config.ServiceConfig;
import dev.meadow.service.tracing.RequestTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes submissions atomically: the requests of a submission and its {@code BatchSubmitted} record are written
 * in one Kafka transaction, so readers (read_committed) see all of a batch or none of it. A submission that turns
 * out to be invalid halfway through is aborted. A small pool of transactional producers serves concurrent
 * submissions ({@link ProducerPool}). Model activations that must happen together use the same producers.
 */
@Startup // its counter is on /q/metrics from the start, at 0
@ApplicationScoped
public class SubmissionPublisher {

    private final KafkaTopicsConfig kafka;
    private final ServiceConfig service;
    private final GatewayConfig config;
    private final ProducerPool<KafkaProducer<String, byte[]>> producers;
    private final Counter submitted;
    private final RequestTracing tracing;

    SubmissionPublisher(
            KafkaTopicsConfig kafka,
            ServiceConfig service,
            GatewayConfig config,
            MeterRegistry metrics,
            RequestTracing tracing) {
        this.kafka = kafka;
        this.service = service;
        this.config = config;
        this.tracing = tracing;
        this.submitted = Counter.builder("meadow.gateway.prompts.submitted")
                .description("Generation requests queued (committed to the prompts topic)")
                .register(metrics);
        this.producers = new ProducerPool<>(
                config.submissionProducers(),
                config.brokerTimeout(),
                "submission producers",
                this::create,
                producer -> producer.close(Duration.ZERO));
    }

    /**
     * Starts a submission; the caller must {@link Submission#commit} or {@link Submission#abort} it.
     *
     * @throws ServiceUnavailableException when the broker cannot be reached or every producer stays busy
     */
    public Submission begin() {
        ProducerPool.Slot<KafkaProducer<String, byte[]>> slot;
        try {
            slot = producers.acquire();
        } catch (KafkaException e) {
            throw unavailable(e);
        }
        try {
            slot.producer().beginTransaction();
        } catch (KafkaException e) {
            producers.discard(slot);
            throw unavailable(e);
        }
        return new Submission(slot);
    }

    /** One submission in progress. */
    public final class Submission implements AutoCloseable {

        private final ProducerPool.Slot<KafkaProducer<String, byte[]>> slot;
        private boolean finished;
        private int sent;

        private Submission(ProducerPool.Slot<KafkaProducer<String, byte[]>> slot) {
            this.slot = slot;
        }

        /** Queues a request; it carries the trace of the HTTP request that submitted it. */
        public void send(GenerationRequest request) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(Topics.PROMPTS.name(), request.jobId(), Topics.PROMPTS.encode(request));
            tracing.inject(Span.current(), record.headers());
            slot.producer().send(record);
            sent++;
        }

        /** Adds the batch record and commits; when this returns, the whole batch is durable and visible. */
        public void commit(BatchSubmitted batch) {
            Span.current().setAttribute(RequestTracing.BATCH_ID, batch.batchId());
            slot.producer()
                    .send(new ProducerRecord<>(Topics.BATCHES.name(), batch.key(), Topics.BATCHES.encode(batch)));
            commit("batch " + batch.batchId(), "/api/batches/" + batch.batchId());
        }

        private void commit(String what, String whereToLook) {
            try {
                commitOnce();
                finished = true;
                producers.release(slot);
                submitted.increment(sent);
            } catch (TimeoutException e) {
                // A commit that timed out may still complete, and must not be aborted: the client learns that the
                // outcome is unknown and where to look, rather than "nothing was queued" and a duplicate on retry.
                finished = true;
                producers.discard(slot);
                throw new ServiceUnavailableException("the broker did not confirm " + what
                        + " in time; it may still appear: look at " + whereToLook + " before trying again");
            } catch (KafkaException e) {
                abort();
                throw unavailable(e);
            }
        }

        /** Kafka allows a timed-out commit to be retried: one more try before giving up. */
        private void commitOnce() {
            try {
                slot.producer().commitTransaction();
            } catch (TimeoutException first) {
                slot.producer().commitTransaction();
            }
        }

        public void abort() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                slot.producer().abortTransaction();
                producers.release(slot);
            } catch (RuntimeException e) {
                // Any failure to abort (not only Kafka's) leaves the producer unusable: start afresh.
                producers.discard(slot);
            }
        }

        /** Aborts unless committed. */
        @Override
        public void close() {
            abort();
        }
    }

    /**
     * Writes model events in one transaction, so that readers see all of them or none: a CLIP and the decoder
     * trained against it become active together.
     */
    public void publishTogether(List<ModelEvent> events) {
        try (Submission transaction = begin()) {
            for (ModelEvent event : events) {
                transaction
                        .slot
                        .producer()
                        .send(new ProducerRecord<>(Topics.MODELS.name(), event.key(), Topics.MODELS.encode(event)));
            }
            transaction.commit("the activation", "/api/models");
        }
    }

    private KafkaProducer<String, byte[]> create(int index) {
        Properties p = new Properties();
        p.putAll(kafka.connection());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "meadow-gateway-" + service.instanceId() + "-" + index);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(config.transactionTimeout().toMillis()));
        // How long initTransactions, send (waiting for metadata) and commitTransaction may block on the broker.
        p.put(
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                String.valueOf(config.brokerTimeout().toMillis()));
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return producer;
    }

    /** A broker that cannot be reached is an outage to retry; anything else stays an error. */
    private static RuntimeException unavailable(KafkaException e) {
        if (e instanceof RetriableException || e.getCause() instanceof RetriableException) {
            return new ServiceUnavailableException("the message broker is unavailable (" + e.getMessage()
                    + "); nothing was queued, try again shortly");
        }
        return e;
    }

    @PreDestroy
    void close() {
        producers.closeAll(KafkaProducer::close);
    }
}
