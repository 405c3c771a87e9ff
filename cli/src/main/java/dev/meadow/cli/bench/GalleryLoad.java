package dev.meadow.cli.bench;

import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;

import dev.meadow.contracts.BatchSubmitted;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes batches of results to the topics the way the gateway and the generators do (a submission on
 * {@code batches}, then a succeeded result per job on {@code generations}), with pastoral prompts: a gallery's
 * history without generating it. The PNGs they name are not in the store.
 */
public final class GalleryLoad implements AutoCloseable {

    static final String[] COUNTS = {"a", "two", "three", "a few", "many", "a herd of", "a flock of"};
    static final String[] COLOURS = {"brown", "white", "black", "spotted", "grey", "golden", "red"};
    static final String[] ANIMALS = {"cows", "sheep", "horses", "goats", "lambs", "calves", "ponies"};
    static final String[] ACTIONS = {"grazing", "resting", "standing", "walking", "lying", "running"};
    static final String[] PLACES = {
        "on a green hill",
        "in a snowy field",
        "by a river",
        "under a blue sky",
        "near the mountains",
        "in tall grass",
        "at sunset",
        "in the fog",
        "beside a fence",
        "on a meadow"
    };
    /** Model versions the results are spread over, so that a model filter has many pages. */
    static final String[] MODELS = {"bench-cvae-a", "bench-cvae-b", "bench-cvae-c"};

    private final KafkaProducer<String, byte[]> producer;
    private final SplittableRandom random;
    private volatile Exception failure;

    /** @param connection a Kafka login allowed to write {@code batches} and {@code generations} (an administrator) */
    public GalleryLoad(java.util.Map<String, Object> connection, long seed) {
        Properties p = new Properties();
        p.putAll(connection);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        random = new SplittableRandom(seed);
    }

    /** A prompt of this vocabulary (which the benchmark's searches use too). */
    String prompt() {
        return String.join(" ", pick(COUNTS), pick(COLOURS), pick(ANIMALS), pick(ACTIONS), pick(PLACES));
    }

    private String pick(String[] words) {
        return words[random.nextInt(words.length)];
    }

    /**
     * Writes a batch of {@code size} results completed one millisecond apart from {@code start}, after its
     * submission as the gateway writes it (the gallery shows only jobs of batches it knows); returns once the
     * submission is stored, without waiting for the results (call {@link #flush()} to wait until the broker has them
     * all).
     */
    public void writeBatch(String batchId, int size, Instant start) {
        String first = prompt();
        BatchSubmitted submitted = BatchSubmitted.of(batchId, size, "bench", first, start);
        try {
            producer.send(new ProducerRecord<>(
                            Topics.BATCHES.name(), submitted.key(), Topics.BATCHES.encode(submitted)))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing batch " + batchId, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the broker refused batch " + batchId + ": " + e.getCause(), e);
        }
        for (int i = 0; i < size; i++) {
            String prompt = i == 0 ? first : prompt();
            String jobId = batchId + "-" + String.format(Locale.ROOT, "%06d", i);
            Instant at = start.plusMillis(i);
            GenerationRequest request =
                    GenerationRequest.of(jobId, batchId, i, prompt, random.nextInt(1 << 30), null, at);
            GenerationResult result = GenerationResult.succeeded(
                    request,
                    jobId + ".png",
                    64,
                    64,
                    MODELS[i % MODELS.length],
                    "bench-clip",
                    new GenerationResult.Timings(3, 6, 40),
                    at);
            producer.send(
                    new ProducerRecord<>(Topics.GENERATIONS.name(), jobId, Topics.GENERATIONS.encode(result)),
                    this::failOnError);
        }
    }

    private void failOnError(Object metadata, Exception e) {
        if (e != null && failure == null) {
            failure = e;
        }
    }

    /** Waits until the broker has every record written so far; fails if any was refused. */
    public void flush() {
        producer.flush();
        if (failure != null) {
            throw new IllegalStateException("a record was not written: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
