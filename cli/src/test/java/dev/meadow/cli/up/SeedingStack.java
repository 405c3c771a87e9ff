package dev.meadow.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import dev.meadow.devstack.EmbeddedKafka;
import dev.meadow.devstack.EmbeddedObjectStore;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.messaging.TopicProvisioner;
import dev.meadow.messaging.TopicReplication;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;

/** A real broker (topics provisioned) and object store (buckets made) for a test of shipped-model seeding. */
final class SeedingStack implements AutoCloseable {

    final EmbeddedKafka kafka;
    final EmbeddedObjectStore s3;
    final ObjectStore store;

    private SeedingStack(EmbeddedKafka kafka, EmbeddedObjectStore s3, ObjectStore store) {
        this.kafka = kafka;
        this.s3 = s3;
        this.store = store;
    }

    static SeedingStack start(Path dir, String accessKey) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0, "admin-secret");
        EmbeddedObjectStore s3 = EmbeddedObjectStore.start(dir.resolve("s3"), 0, accessKey, accessKey + "-secret");
        TopicProvisioner.ensureTopics(kafka.adminConnection(), TopicReplication.SINGLE_BROKER);
        ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                s3.endpoint().toString(), accessKey, accessKey + "-secret", "us-east-1", "meadow-"));
        store.ensureBuckets();
        return new SeedingStack(kafka, s3, store);
    }

    /** The models topic as a catalog, read to its end. */
    ModelCatalog caughtUpCatalog(String clientId) throws Exception {
        ModelCatalog catalog = new ModelCatalog(kafka.adminConnection(), clientId).start();
        assertThat(catalog.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        return catalog;
    }

    @Override
    public void close() throws Exception {
        store.close();
        s3.close();
        kafka.close();
    }
}
