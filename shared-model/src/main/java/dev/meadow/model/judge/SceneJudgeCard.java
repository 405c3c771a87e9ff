package dev.meadow.model.judge;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code scene-judge.json}, the card beside an exported scene judge: its heads in the order of the exported logits,
 * how it was trained, how well each head reads held-out renders, and the checksum of every file.
 *
 * @param heads the heads, their labels and their accuracy on held-out renders
 * @param trainRenders renders it was trained on
 * @param testRenders held-out renders its accuracy was measured on
 */
public record SceneJudgeCard(
        String format,
        int formatVersion,
        String modelId,
        int imageSize,
        List<HeadCard> heads,
        int trainRenders,
        int testRenders,
        int epochs,
        long seed,
        Map<String, String> files,
        Instant createdAt) {

    public static final String FORMAT = "meadow-scene-judge";
    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "scene-judge.json";

    public SceneJudgeCard {
        heads = List.copyOf(heads);
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    /**
     * One head.
     *
     * @param accuracyOnRenders share of the held-out renders the head applies to that it reads right
     * @param accuracyOnBlurredRenders the same renders, blurred as decoders draw
     */
    public record HeadCard(
            String name, List<String> labels, double accuracyOnRenders, double accuracyOnBlurredRenders) {

        public HeadCard {
            labels = List.copyOf(labels);
        }

        public SceneJudge.Head head() {
            return new SceneJudge.Head(name, labels);
        }
    }
}
