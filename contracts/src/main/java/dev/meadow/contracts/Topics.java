package dev.meadow.contracts;

import static dev.meadow.contracts.Component.EMBEDDER;
import static dev.meadow.contracts.Component.GATEWAY;
import static dev.meadow.contracts.Component.GENERATOR;
import static dev.meadow.contracts.Component.PUBLISHER;
import static dev.meadow.contracts.Component.TRAINER;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every Kafka topic Meadow uses, with its record type, key, partition count, and the components that may write and
 * read it: the broker's ACLs are made from these declarations and nothing else.
 */
public final class Topics {

    private static final Map<String, String> WORK_QUEUE = Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000));
    private static final Map<String, String> LATEST_PER_KEY =
            Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.1");
    private static final Map<String, String> FOREVER = Map.of("retention.ms", "-1");

    /** Generation requests from the gateway to the embedder. */
    public static final Topic<GenerationRequest> PROMPTS =
            new Topic<>("prompts", 6, GenerationRequest.class, "job id", WORK_QUEUE, Set.of(GATEWAY), Set.of(EMBEDDER));

    /** Embedded requests from the embedder to the generators: enough partitions for 24 generator instances. */
    public static final Topic<EmbeddedPrompt> EMBEDDINGS = new Topic<>(
            "embeddings", 24, EmbeddedPrompt.class, "job id", WORK_QUEUE, Set.of(EMBEDDER), Set.of(GENERATOR, GATEWAY));

    /** The outcome of every job; compacted, so it is the gallery's source of truth. */
    public static final Topic<GenerationResult> GENERATIONS = new Topic<>(
            "generations", 6, GenerationResult.class, "job id", LATEST_PER_KEY, Set.of(GENERATOR), Set.of(GATEWAY));

    /** Uploaded data sets, queued for embedding and training in order. */
    public static final Topic<DatasetSnapshot> DATASET_SNAPSHOTS = new Topic<>(
            "dataset-snapshots",
            1,
            DatasetSnapshot.class,
            "snapshot id",
            FOREVER,
            Set.of(GATEWAY),
            Set.of(EMBEDDER, GATEWAY));

    /** Embedded data sets: the trainer's queue, one partition so that training happens in order. */
    public static final Topic<SnapshotEmbeddings> SNAPSHOT_EMBEDDINGS = new Topic<>(
            "snapshot-embeddings",
            1,
            SnapshotEmbeddings.class,
            "snapshot id",
            FOREVER,
            Set.of(EMBEDDER),
            Set.of(TRAINER, GATEWAY));

    /** Training progress, kept forever for the training curves. */
    public static final Topic<TrainingEvent> TRAINING_EVENTS = new Topic<>(
            "training-events",
            1,
            TrainingEvent.class,
            "run id",
            FOREVER,
            Set.of(TRAINER, GATEWAY),
            Set.of(GATEWAY, TRAINER));

    /** Published model versions and the active one per kind (compacted). */
    public static final Topic<ModelEvent> MODELS = new Topic<>(
            "models",
            1,
            ModelEvent.class,
            "kind/model id, or kind/active",
            LATEST_PER_KEY,
            Set.of(GATEWAY, TRAINER, PUBLISHER),
            EnumSet.allOf(Component.class));

    /** Which service instance loaded or refused which model, and why. */
    public static final Topic<ModelLoadEvent> MODEL_EVENTS = new Topic<>(
            "model-events",
            1,
            ModelLoadEvent.class,
            "service instance",
            WORK_QUEUE,
            Set.of(GATEWAY, EMBEDDER, GENERATOR, TRAINER),
            Set.of(GATEWAY));

    /** Submissions (with their totals) and cancellations (compacted). */
    public static final Topic<BatchEvent> BATCHES = new Topic<>(
            "batches",
            1,
            BatchEvent.class,
            "batch id/submitted, batch id/cancelled",
            LATEST_PER_KEY,
            Set.of(GATEWAY),
            Set.of(GATEWAY, GENERATOR));

    public static final List<Topic<?>> ALL = List.of(
            PROMPTS,
            EMBEDDINGS,
            GENERATIONS,
            DATASET_SNAPSHOTS,
            SNAPSHOT_EMBEDDINGS,
            TRAINING_EVENTS,
            MODELS,
            MODEL_EVENTS,
            BATCHES);

    /** Who reads every dead-letter topic (to show why an upload or a result was refused), besides its writers. */
    public static final Set<Component> DEAD_LETTER_READERS = Set.of(GATEWAY);

    /** Header that dead-letter records carry: why the record could not be processed. */
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";
    /** Headers naming where a dead letter came from. */
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";

    public static final String DEAD_LETTER_PARTITION = "dead-letter-partition";
    public static final String DEAD_LETTER_OFFSET = "dead-letter-offset";

    private Topics() {}
}
