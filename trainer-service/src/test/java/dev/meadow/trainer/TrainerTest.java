package dev.meadow.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.ModelActivated;
import dev.meadow.contracts.ModelEvent;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.contracts.SnapshotEmbeddings;
import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.contracts.TrainingRequest;
import dev.meadow.dataset.Snapshot;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.devstack.TopicWriter;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.DatasetEmbedder;
import dev.meadow.model.cvae.CvaeData;
import dev.meadow.model.cvae.CvaeTraining;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.TinyModels;
import dev.meadow.trainer.service.TrainingJob;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class TrainerTest {

    static ObjectStore store;
    static DatasetEmbedder.Embedded embedded;

    @Inject
    TrainingJob trainingJob;

    @BeforeAll
    static void prepare() throws Exception {
        DevStack stack = DevStackTestResource.stack();
        store = new ObjectStore(new ObjectStoreSettings(
                stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
        try (ModelSeeding seeding = new ModelSeeding(store, stack.kafkaAdmin())) {
            seeding.publish(TinyModels.get().clip(), true);
        }
        try (ClipModel clip = ClipModel.load(TinyModels.get().clip())) {
            embedded = DatasetEmbedder.embed(Snapshot.read(TinyModels.get().snapshot()), clip, n -> {});
        }
    }

    /** Puts a snapshot and its embeddings in the store, as the gateway and the embedder would. */
    static SnapshotEmbeddings stored(String snapshotId, int epochs, boolean activate) {
        store.uploadDirectory(
                TinyModels.get().snapshot(), Bucket.DATASETS, store.layout().snapshotPrefix(snapshotId));
        String images = store.layout().snapshotImageEmbeddingsKey(snapshotId, TinyModels.CLIP_ID);
        String captions = store.layout().snapshotCaptionEmbeddingsKey(snapshotId, TinyModels.CLIP_ID);
        store.put(Bucket.EMBEDDINGS, images, embedded.images().toBytes(), "application/octet-stream");
        store.put(Bucket.EMBEDDINGS, captions, embedded.captions().toBytes(), "application/octet-stream");
        DatasetSnapshot snapshot = DatasetSnapshot.of(
                snapshotId,
                "tiny " + snapshotId,
                "pastoral-synth",
                160,
                800,
                32,
                new TrainingRequest("tiny-32", ConditioningMode.IMAGE, epochs, 16, 1e-3, 3, 0.1, activate, null),
                Instant.now());
        return SnapshotEmbeddings.of(snapshot, TinyModels.CLIP_ID, 16, images, captions, Instant.now());
    }

    static void send(String topic, String key, byte[] value) {
        try (TopicWriter writer = new TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            writer.send(topic, key, value);
        }
    }

    static List<TrainingEvent> events(String runId, Predicate<List<TrainingEvent>> until) {
        try (TopicInspector inspector =
                new TopicInspector(DevStackTestResource.stack().kafkaAdmin())) {
            List<ConsumerRecord<String, byte[]>> records = inspector.readUntil(
                    Topics.TRAINING_EVENTS.name(), r -> until.test(ofRun(r, runId)), Duration.ofSeconds(240));
            return ofRun(records, runId);
        }
    }

    static List<TrainingEvent> ofRun(List<ConsumerRecord<String, byte[]>> records, String runId) {
        return records.stream()
                .filter(r -> r.key().equals(runId))
                .map(r -> Topics.TRAINING_EVENTS.decode(r.value()))
                .toList();
    }

    static boolean ended(List<TrainingEvent> events) {
        return events.stream()
                .anyMatch(e -> e.type() == TrainingEvent.Type.FINISHED || e.type() == TrainingEvent.Type.FAILED);
    }

    static List<ModelEvent> models() {
        try (TopicInspector inspector =
                new TopicInspector(DevStackTestResource.stack().kafkaAdmin())) {
            return inspector.readAll(Topics.MODELS.name()).stream()
                    .map(r -> Topics.MODELS.decode(r.value()))
                    .toList();
        }
    }

    @Test
    void aQueuedSnapshotIsTrainedPublishedAndActivatedWhileABrokenOneFailsWithAReason(@TempDir Path dir) {
        SnapshotEmbeddings broken = SnapshotEmbeddings.of(
                stored("snap-broken", 1, false).snapshot(),
                TinyModels.CLIP_ID,
                16,
                "snap-broken/missing/images.emb",
                "snap-broken/missing/captions.emb",
                Instant.now());
        send(Topics.SNAPSHOT_EMBEDDINGS.name(), "garbage", "{\"version\":1}".getBytes(StandardCharsets.UTF_8));
        send(Topics.SNAPSHOT_EMBEDDINGS.name(), "snap-broken", Topics.SNAPSHOT_EMBEDDINGS.encode(broken));
        SnapshotEmbeddings good = stored("snap-full", 12, true);
        send(Topics.SNAPSHOT_EMBEDDINGS.name(), "snap-full", Topics.SNAPSHOT_EMBEDDINGS.encode(good));

        List<TrainingEvent> failed = events("run-snap-broken", TrainerTest::ended);
        assertThat(failed).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(TrainingEvent.Type.FAILED);
            assertThat(e.reason()).contains("snap-broken/missing/images.emb");
        });

        List<TrainingEvent> events = events("run-snap-full", TrainerTest::ended);
        assertThat(events)
                .extracting(TrainingEvent::type)
                .containsExactly(
                        TrainingEvent.Type.STARTED,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.FINISHED);
        assertThat(events.get(1).train().total())
                .isGreaterThan(events.get(12).train().total());
        // Events are stamped in the order the run went through them (how long it took depends on the machine).
        assertThat(events).extracting(TrainingEvent::at).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(events.get(0).at()).isBefore(events.get(13).at());
        String modelId = events.get(13).modelVersion();
        assertThat(modelId).isEqualTo("tiny-32-image-snap-full");

        List<ModelEvent> models = models();
        assertThat(models)
                .filteredOn(m -> m instanceof ModelPublished p && p.modelId().equals(modelId))
                .singleElement()
                .satisfies(m -> {
                    ModelPublished p = (ModelPublished) m;
                    assertThat(p.runId()).isEqualTo("run-snap-full");
                    assertThat(p.clipModelId()).isEqualTo(TinyModels.CLIP_ID);
                    assertThat(p.bestValidationLoss()).isPositive();
                });
        assertThat(models)
                .filteredOn(m -> m instanceof ModelActivated a && a.modelId().equals(modelId))
                .hasSize(1);
        // Its prior: trained on the snapshot's pairs, published before the decoder, activated with it.
        int priorAt = indexOf(
                models, m -> m instanceof ModelPublished p && p.modelId().equals("prior-snap-full"));
        int decoderAt = indexOf(
                models, m -> m instanceof ModelPublished p && p.modelId().equals(modelId));
        assertThat(priorAt).isNotNegative().isLessThan(decoderAt);
        assertThat((ModelPublished) models.get(priorAt)).satisfies(p -> {
            assertThat(p.kind()).isEqualTo(dev.meadow.contracts.ModelKind.PRIOR);
            assertThat(p.clipModelId()).isEqualTo(TinyModels.CLIP_ID);
            assertThat(p.runId()).isEqualTo("run-snap-full");
        });
        assertThat(((ModelPublished) models.get(decoderAt)).priorModelId()).isEqualTo("prior-snap-full");
        assertThat(models)
                .filteredOn(m -> m instanceof ModelActivated a && a.modelId().equals("prior-snap-full"))
                .hasSize(1);

        Path local = dir.resolve("model");
        store.downloadDirectory(
                Bucket.MODELS, store.layout().modelPrefix(dev.meadow.contracts.ModelKind.CVAE, modelId), local);
        Path priorFiles = dir.resolve("prior");
        store.downloadDirectory(
                Bucket.MODELS,
                store.layout().modelPrefix(dev.meadow.contracts.ModelKind.PRIOR, "prior-snap-full"),
                priorFiles);
        try (Decoder decoder = Decoder.load(local);
                dev.meadow.model.prior.Prior prior = dev.meadow.model.prior.Prior.load(priorFiles);
                Decoder drawing = decoder.withPrior(prior)) {
            assertThat(decoder.card().history()).hasSize(12);
            assertThat(decoder.card().priorModelId()).isEqualTo("prior-snap-full");
            assertThat(drawing.decode(embedded.images().row(0), new long[] {1})).hasSize(32 * 32 * 3);
        }

        try (TopicInspector inspector =
                new TopicInspector(DevStackTestResource.stack().kafkaAdmin())) {
            List<ConsumerRecord<String, byte[]>> dead = inspector.readUntil(
                    Topics.SNAPSHOT_EMBEDDINGS.deadLetterTopic(), r -> !r.isEmpty(), Duration.ofSeconds(10));
            assertThat(dead).extracting(ConsumerRecord::key).containsExactly("garbage");
        }
    }

    private static int indexOf(List<ModelEvent> events, java.util.function.Predicate<ModelEvent> wanted) {
        for (int i = 0; i < events.size(); i++) {
            if (wanted.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Inject
    dev.meadow.trainer.service.CancelledRuns cancelledRuns;

    @Test
    void aCancelledRunIsSkippedWhenQueuedAndStoppedWhenItTrains() {
        Instant now = Instant.now();
        send(
                Topics.TRAINING_EVENTS.name(),
                "run-snap-cancelled-early",
                Topics.TRAINING_EVENTS.encode(
                        TrainingEvent.cancelled("run-snap-cancelled-early", "snap-cancelled-early", now)));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> cancelledRuns.isCancelled("run-snap-cancelled-early"));
        send(
                Topics.SNAPSHOT_EMBEDDINGS.name(),
                "snap-cancelled-early",
                Topics.SNAPSHOT_EMBEDDINGS.encode(stored("snap-cancelled-early", 3, false)));
        send(
                Topics.SNAPSHOT_EMBEDDINGS.name(),
                "snap-cancelled-late",
                Topics.SNAPSHOT_EMBEDDINGS.encode(stored("snap-cancelled-late", 200, true)));
        events("run-snap-cancelled-late", e -> e.stream().anyMatch(x -> x.type() == TrainingEvent.Type.EPOCH));
        send(
                Topics.TRAINING_EVENTS.name(),
                "run-snap-cancelled-late",
                Topics.TRAINING_EVENTS.encode(
                        TrainingEvent.cancelled("run-snap-cancelled-late", "snap-cancelled-late", Instant.now())));
        // A broken snapshot after them: its failure shows that the trainer has moved past both.
        SnapshotEmbeddings marker = SnapshotEmbeddings.of(
                stored("snap-after-cancel", 1, false).snapshot(),
                TinyModels.CLIP_ID,
                16,
                "snap-after-cancel/missing/images.emb",
                "snap-after-cancel/missing/c.emb",
                Instant.now());
        send(Topics.SNAPSHOT_EMBEDDINGS.name(), "snap-after-cancel", Topics.SNAPSHOT_EMBEDDINGS.encode(marker));
        events("run-snap-after-cancel", TrainerTest::ended);

        assertThat(events("run-snap-cancelled-early", e -> !e.isEmpty()))
                .extracting(TrainingEvent::type)
                .containsExactly(TrainingEvent.Type.CANCELLED);
        List<TrainingEvent> late = events(
                "run-snap-cancelled-late", e -> e.stream().anyMatch(x -> x.type() == TrainingEvent.Type.CANCELLED));
        assertThat(late)
                .extracting(TrainingEvent::type)
                .doesNotContain(TrainingEvent.Type.FINISHED, TrainingEvent.Type.FAILED)
                .contains(TrainingEvent.Type.STARTED, TrainingEvent.Type.CANCELLED);
        assertThat(late).filteredOn(e -> e.type() == TrainingEvent.Type.EPOCH).hasSizeLessThan(200);
        assertThat(models())
                .noneMatch(m -> m instanceof ModelPublished p && p.modelId().endsWith("snap-cancelled-late"));
    }

    @Test
    void aRunWhoseCheckpointIsInTheStoreResumesAfterItsLastEpoch(@TempDir Path dir) {
        SnapshotEmbeddings snapshot = stored("snap-resume", 3, false);
        // The first epoch ran on another trainer, which died: its checkpoint is in the store.
        CvaeTraining.Spec spec = trainingJob.spec(snapshot.snapshot(), TinyModels.CLIP_ID);
        CvaeTraining.Spec firstEpochOnly = new CvaeTraining.Spec(
                spec.preset(), spec.conditioning(), spec.settings().withEpochs(1), spec.clipModelId(), spec.dataset());
        Snapshot files = Snapshot.read(TinyModels.get().snapshot());
        CvaeData data = new CvaeData(
                32,
                160,
                files.loadPixels(32),
                16,
                embedded.images().values(),
                embedded.captions().values(),
                embedded.captions().owners());
        Path work = dir.resolve("work");
        CvaeTraining.Outcome first = CvaeTraining.train(data, firstEpochOnly, work, new CvaeTraining.Listener() {});
        store.uploadDirectory(work, Bucket.MODELS, store.layout().checkpointPrefix("run-snap-resume"));

        send(Topics.SNAPSHOT_EMBEDDINGS.name(), "snap-resume", Topics.SNAPSHOT_EMBEDDINGS.encode(snapshot));
        List<TrainingEvent> events = events("run-snap-resume", TrainerTest::ended);
        assertThat(events)
                .extracting(TrainingEvent::type)
                .containsExactly(
                        TrainingEvent.Type.RESUMED,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.EPOCH,
                        TrainingEvent.Type.FINISHED);
        assertThat(events.get(0).epoch()).isEqualTo(2);
        assertThat(events).extracting(TrainingEvent::epoch).containsExactly(2, 1, 2, 3, 3);
        assertThat(events.get(1).train())
                .as("the checkpointed epoch, announced again")
                .isEqualTo(first.history().get(0).train());

        Path local = dir.resolve("model");
        store.downloadDirectory(
                Bucket.MODELS,
                store.layout()
                        .modelPrefix(
                                dev.meadow.contracts.ModelKind.CVAE,
                                events.get(4).modelVersion()),
                local);
        assertThat(Decoder.readCard(local).history().get(0))
                .isEqualTo(first.history().get(0));
        assertThat(Files.exists(local.resolve("saved_model.pb"))).isTrue();
    }

    /**
     * The queue hands each snapshot to {@link TrainingJob#trainUntilSettled}, and commits its offset when that
     * returns (with {@code failure-strategy=ignore}, a snapshot whose handling throws is dropped): an outage must
     * make it wait and try again, never throw.
     */
    @Test
    void anObjectStoreOutageDelaysTrainingAndLosesNoSnapshot() throws Exception {
        SnapshotEmbeddings snapshot = stored("snap-outage", 2, false);
        DevStack stack = DevStackTestResource.stack();
        int port = java.net.URI.create(stack.objectStoreEndpoint()).getPort();
        stack.stopObjectStore();
        java.util.concurrent.CompletableFuture<Void> training;
        // A store that is down hard: every connection is cut at once, so each call fails fast.
        try (BrokenServer broken = new BrokenServer(port)) {
            training = java.util.concurrent.CompletableFuture.runAsync(() -> trainingJob.trainUntilSettled(snapshot));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> trainingJob.delayed().isPresent() || training.isDone());
            assertThat(training)
                    .as("an outage must not end the handling of a snapshot")
                    .isNotDone();
            assertThat(trainingJob.delayed())
                    .hasValueSatisfying(why -> assertThat(why)
                            .startsWith("snapshot snap-outage failed on attempt 1")
                            .contains("ObjectStoreException"));
            given().when()
                    .get("/q/health/ready")
                    .then()
                    .body(
                            "checks.find { it.name == 'Training' }.data.delayed",
                            org.hamcrest.Matchers.containsString("snapshot snap-outage failed on attempt"));
        } finally {
            stack.startObjectStore();
            // This client's pooled connections went to the store that was stopped: start afresh.
            store.close();
            store = new ObjectStore(new ObjectStoreSettings(
                    stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
        }
        training.get(4, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(trainingJob.delayed()).isEmpty();
        List<TrainingEvent> events = events("run-snap-outage", TrainerTest::ended);
        assertThat(events)
                .noneMatch(e -> e.type() == TrainingEvent.Type.FAILED)
                .last()
                .satisfies(e -> {
                    assertThat(e.type()).isEqualTo(TrainingEvent.Type.FINISHED);
                    assertThat(e.modelVersion()).isEqualTo("tiny-32-image-snap-outage");
                });
    }

    /** Listens where the store was and closes every connection at once. */
    static final class BrokenServer implements AutoCloseable {

        private final java.net.ServerSocket socket;
        private final Thread thread;

        BrokenServer(int port) throws java.io.IOException {
            socket = new java.net.ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            thread = new Thread(
                    () -> {
                        while (!socket.isClosed()) {
                            try {
                                socket.accept().close();
                            } catch (java.io.IOException e) {
                                return;
                            }
                        }
                    },
                    "broken-store");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5_000);
        }
    }
}
