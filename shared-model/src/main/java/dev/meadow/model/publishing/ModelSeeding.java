package dev.meadow.model.publishing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.meadow.contracts.ModelActivated;
import dev.meadow.contracts.ModelEvent;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.contracts.Topics;
import dev.meadow.model.clip.ClipCard;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.prior.Prior;
import dev.meadow.model.prior.PriorCard;
import dev.meadow.storage.ObjectStore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a model directory from outside the services: uploads it to the models bucket, announces it on
 * {@code models}, and optionally activates it. {@code meadow up} seeds a fresh installation this way.
 */
public final class ModelSeeding implements AutoCloseable {

    private final ObjectStore store;
    private final KafkaProducer<String, byte[]> producer;

    /** @param connection a Kafka login allowed to write {@code models} (the publisher, trainer or gateway) */
    public ModelSeeding(ObjectStore store, java.util.Map<String, Object> connection) {
        this.store = store;
        Properties p = new Properties();
        p.putAll(connection);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Publishes a CLIP model, a prior or a decoder, whichever the directory holds. */
    public ModelPublished publish(Path directory, boolean activate)
            throws InterruptedException, ExecutionException, TimeoutException {
        ModelPublished published;
        if (Files.exists(directory.resolve(ClipCard.FILE_NAME))) {
            ClipCard card = ClipModel.readCard(directory);
            String prefix =
                    ModelPublishing.upload(store, ModelKind.CLIP, card.modelId(), directory, ClipCard.FILE_NAME);
            published = ModelPublishing.clip(card, prefix, Instant.now());
        } else if (Files.exists(directory.resolve(PriorCard.FILE_NAME))) {
            PriorCard card = Prior.readCard(directory);
            String prefix =
                    ModelPublishing.upload(store, ModelKind.PRIOR, card.modelId(), directory, PriorCard.FILE_NAME);
            published = ModelPublishing.prior(card, prefix, null, null, Instant.now());
        } else {
            DecoderCard card = Decoder.readCard(directory);
            String prefix =
                    ModelPublishing.upload(store, ModelKind.CVAE, card.modelId(), directory, DecoderCard.FILE_NAME);
            published = ModelPublishing.decoder(card, prefix, null, null, Instant.now());
        }
        send(published);
        if (activate) {
            activate(published.kind(), published.modelId());
        }
        return published;
    }

    public void activate(ModelKind kind, String modelId)
            throws InterruptedException, ExecutionException, TimeoutException {
        send(ModelActivated.of(kind, modelId, Instant.now()));
    }

    private void send(ModelEvent event) throws InterruptedException, ExecutionException, TimeoutException {
        producer.send(new ProducerRecord<>(Topics.MODELS.name(), event.key(), Topics.MODELS.encode(event)))
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
