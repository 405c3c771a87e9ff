package dev.meadow.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits and behaviour of the public API and the gallery. */
@ConfigMapping(prefix = "meadow.gateway")
public interface GatewayConfig {

    /** Longest prompt accepted, in characters. CLIP reads 77 tokens; longer prompts are truncated by it. */
    @WithDefault("500")
    int maxPromptLength();

    /**
     * Longest line of a prompts file, in bytes, and longest string in a JSON batch: far beyond any prompt, yet small
     * enough that a file of one endless line is refused after reading this much of it.
     */
    @WithDefault("16384")
    int maxLineBytes();

    /** Most images one prompt may ask for. */
    @WithDefault("16")
    int maxVariants();

    /** New seeds that "more like this" on an image page asks for. */
    @WithDefault("8")
    int moreLikeThis();

    /** Most images one batch may ask for; a bigger batch gets 413. */
    @WithDefault("50000")
    int maxBatchSize();

    /**
     * Keys that authorise writes ({@code Authorization: Bearer <key>}); when none are configured, writes are open.
     * {@code MEADOW_GATEWAY_API_KEYS}, comma-separated.
     */
    Optional<List<String>> apiKeys();

    /** How long a gallery login lasts. */
    @WithDefault("12h")
    Duration sessionLifetime();

    /**
     * Whether the login cookie is marked Secure. Unset: when the browser used https, as the request says (behind a
     * TLS proxy, enable {@code quarkus.http.proxy.proxy-address-forwarding} so that it does).
     */
    Optional<Boolean> secureCookies();

    /** Concurrent submissions, each in its own Kafka transaction. */
    @WithDefault("4")
    int submissionProducers();

    /**
     * How long a submission may wait on the broker (starting a producer, fetching metadata, committing) or for a
     * free producer before it answers 503 with Retry-After.
     */
    @WithDefault("15s")
    Duration brokerTimeout();

    /**
     * How long a submission's Kafka transaction may stay open. A batch's body is read and checked before its
     * transaction starts, so an upload may take far longer than this.
     */
    @WithDefault("2m")
    Duration transactionTimeout();

    /** Images per gallery page. */
    @WithDefault("24")
    int pageSize();

    Datasets datasets();

    Captions captions();

    Gallery gallery();

    /** Batch downloads as one ZIP ({@code MEADOW_GATEWAY_ARCHIVES_*}). */
    Archives archives();

    interface Archives {

        /** Archives written at once; more are answered 503 (each holds object-store reads and a response). */
        @WithDefault("4")
        int maxConcurrent();

        /**
         * How long one write to the client may wait for it to read; a client that stalls longer is cut off, so
         * that connections that never read cannot hold every archive slot.
         */
        @WithDefault("60s")
        Duration writeTimeout();
    }

    ConsumerLag consumerLag();

    /** The lag of Meadow's consumer groups on {@code /q/metrics}: the number an autoscaler reads. */
    interface ConsumerLag {

        /** {@code group:topic} pairs to measure; the services' group ids are in their application.properties. */
        @WithDefault("meadow-embedder:prompts,meadow-generator:embeddings,"
                + "meadow-embedder-snapshots:dataset-snapshots,meadow-trainer:snapshot-embeddings")
        List<String> groups();

        /** How often it is measured; 0 turns it off. */
        @WithDefault("10s")
        Duration interval();
    }

    /** The gallery's tables in PostgreSQL, and the projection that fills them from the topics. */
    interface Gallery {

        /** Most records the projection writes in one database transaction. */
        @WithDefault("5000")
        int chunkSize();

        /** Records the gallery may lag behind the topics before readiness goes DOWN. */
        @WithDefault("100000")
        long maxLag();

        /**
         * A search whose matches are expected to be more than this reports an estimate ("about"); fewer are
         * counted, up to this many.
         */
        @WithDefault("10000")
        int maxCount();
    }

    /** The reverse pipeline on the image page: captions a judge CLIP finds closest to the picture. */
    interface Captions {

        /** A published CLIP model with a caption pool ({@code captions.txt}); none turns the feature off. */
        @WithDefault("meadow-judge-clip-v1")
        Optional<String> judgeModel();

        /** Captions listed per image. */
        @WithDefault("5")
        int count();
    }

    interface Datasets {

        /** Largest uploaded archive, in bytes. */
        @WithDefault("536870912")
        long maxArchiveBytes();

        /** Largest COCO annotations file, in bytes (COCO's own training captions are 92 MB). */
        @WithDefault("268435456")
        long maxAnnotationsBytes();

        /** Largest total size of the extracted files, in bytes (decompression bombs stop here). */
        @WithDefault("2147483648")
        long maxExtractedBytes();

        /** Largest extracted-to-compressed ratio of any entry. */
        @WithDefault("100")
        int maxCompressionRatio();

        /** Most files in one archive. */
        @WithDefault("100000")
        int maxEntries();

        /** Largest single image file, in bytes. */
        @WithDefault("20971520")
        long maxImageBytes();

        /** Largest image side, in pixels. */
        @WithDefault("8192")
        int maxImageSide();

        /** Epochs of training when an upload does not say. */
        @WithDefault("20")
        int defaultEpochs();

        /** Most epochs an upload may ask for (the message contract allows up to 10,000). */
        @WithDefault("10000")
        int maxEpochs();

        /** Decoder preset when an upload does not say. */
        @WithDefault("small-64")
        String defaultPreset();

        /** Conditioning when an upload does not say: {@code image}, the paper's best. */
        @WithDefault("image")
        String defaultConditioning();

        /** Training batch size when an upload does not say. */
        @WithDefault("32")
        int defaultBatchSize();

        /** Learning rate when an upload does not say. */
        @WithDefault("0.001")
        double defaultLearningRate();

        /** Training seed when an upload does not say. */
        @WithDefault("42")
        long defaultSeed();

        /** Share of an upload's images held out for validation. */
        @WithDefault("0.1")
        double validationFraction();
    }
}
