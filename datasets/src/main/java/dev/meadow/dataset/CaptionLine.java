package dev.meadow.dataset;

/** One line of {@code captions.jsonl}: a caption of the image file it names. */
public record CaptionLine(String image, String caption) {}
