package dev.meadow.gateway.messaging;

import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.contracts.BatchSubmitted;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.Topics;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.service.config.KafkaTopicsConfig;
import dev.meadow.service.config.ServiceConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes submissions atomically: the requests of a submission and its {@code BatchSubmitted} record are written
 * in one Kafka transaction, so readers (read_committed) see all of a batch or none of it. A submission that turns
 * out to be invalid halfway through is aborted. A small pool of transactional producers serves concurrent
 * submissions.
 */
@ApplicationScoped
public class SubmissionPublisher {

    @Inject
    KafkaTopicsConfig kafka;

    @Inject
    ServiceConfig service;

    @Inject
    GatewayConfig config;

    private BlockingQueue<KafkaProducer<String, byte[]>> pool;
    private int created;

    @PostConstruct
    void init() {
        pool = new ArrayBlockingQueue<>(config.submissionProducers());
    }

    /** Starts a submission; the caller must {@link Submission#commit} or {@link Submission#abort} it. */
    public Submission begin() {
        KafkaProducer<String, byte[]> producer = take();
        try {
            producer.beginTransaction();
        } catch (KafkaException e) {
            discard(producer);
            throw e;
        }
        return new Submission(producer);
    }

    /** One submission in progress. */
    public final class Submission implements AutoCloseable {

        private final KafkaProducer<String, byte[]> producer;
        private boolean finished;

        private Submission(KafkaProducer<String, byte[]> producer) {
            this.producer = producer;
        }

        public void send(GenerationRequest request) {
            producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), request.jobId(), Topics.PROMPTS.encode(request)));
        }

        /** Adds the batch record and commits; when this returns, the whole batch is durable and visible. */
        public void commit(BatchSubmitted batch) {
            try {
                producer.send(new ProducerRecord<>(Topics.BATCHES.name(), batch.key(), Topics.BATCHES.encode(batch)));
                producer.commitTransaction();
                finished = true;
                pool.offer(producer);
            } catch (KafkaException e) {
                abort();
                throw e;
            }
        }

        public void abort() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                producer.abortTransaction();
                pool.offer(producer);
            } catch (KafkaException e) {
                discard(producer);
            }
        }

        /** Aborts unless committed. */
        @Override
        public void close() {
            abort();
        }
    }

    private KafkaProducer<String, byte[]> take() {
        KafkaProducer<String, byte[]> producer = pool.poll();
        if (producer != null) {
            return producer;
        }
        synchronized (this) {
            if (created < config.submissionProducers()) {
                return create(created++);
            }
        }
        try {
            return pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a producer", e);
        }
    }

    private KafkaProducer<String, byte[]> create(int index) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "meadow-gateway-" + service.instanceId() + "-" + index);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "120000");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private synchronized void discard(KafkaProducer<String, byte[]> producer) {
        producer.close();
        created--;
    }

    @PreDestroy
    void close() {
        KafkaProducer<String, byte[]> producer;
        while ((producer = pool.poll()) != null) {
            producer.close();
        }
    }
}
