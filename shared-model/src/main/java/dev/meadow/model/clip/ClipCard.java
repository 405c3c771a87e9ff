package dev.meadow.model.clip;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code clip.json}: what the loader needs to feed a CLIP SavedModel, for Meadow's own CLIP and for an exported
 * OpenAI CLIP alike.
 *
 * @param imageMean per-channel mean subtracted from [0, 1] RGB values
 * @param imageStd per-channel standard deviation the result is divided by
 * @param channelLayout {@code channels_last} (N, H, W, 3) or {@code channels_first} (N, 3, H, W)
 * @param contextLength how many tokens {@code encode_text} takes (shorter prompts are padded, longer truncated)
 * @param normalized whether the model's outputs are already L2-normalised (the loader normalises them anyway)
 * @param metrics what the model reached when it was trained, e.g. {@code textToImageR1}
 * @param files SHA-256 of the model's files, checked when loaded (may be empty for hand-made exports)
 */
public record ClipCard(
        String format,
        int formatVersion,
        String modelId,
        String source,
        int embeddingDimension,
        int imageSize,
        List<Double> imageMean,
        List<Double> imageStd,
        String channelLayout,
        int contextLength,
        boolean normalized,
        Map<String, Double> metrics,
        Map<String, String> files,
        Instant createdAt) {

    public static final String FORMAT = "meadow-clip";
    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "clip.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String CHANNELS_LAST = "channels_last";
    public static final String CHANNELS_FIRST = "channels_first";
}
