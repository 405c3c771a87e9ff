package dev.meadow.contracts;

/**
 * Who may talk to the broker: one Kafka principal per component, each allowed only what {@link Topics} declares
 * for it. A component added later gets its own constant here and its place in the topics' writers and readers.
 */
public enum Component {
    /** The REST API and gallery: submissions, cancellations, uploads, activations; reads every outcome. */
    GATEWAY,
    /** CLIP on prompts and on dataset snapshots. */
    EMBEDDER,
    /** The decoder: the only writer of results. */
    GENERATOR,
    /** Trains queued snapshots and publishes the models it trains. */
    TRAINER,
    /** {@code meadow publish-model} and the seeding of {@code meadow up} and compose: publishes and activates. */
    PUBLISHER;

    /** Its Kafka user name: {@code gateway}, {@code embedder}, … */
    public String principal() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The prefix of every consumer group and transactional id this component uses ({@code meadow-gateway}, …), so
     * that its rights on them can be granted by prefix.
     */
    public String resourcePrefix() {
        return "meadow-" + principal();
    }
}
