package dev.meadow.gateway.service.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meadow.contracts.Json;
import dev.meadow.dataset.CaptionLine;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import dev.meadow.gateway.service.text.Utf8Lines;

/**
 * The captions of an upload's images, read from COCO annotations or from the archive's {@code captions.jsonl}, and
 * narrowed to the images a keyword filter keeps. What is left out is tallied in a {@link DropReport}.
 *
 * @param source "coco" or "captions-jsonl"
 * @param captions per image file name, in the order read
 * @param attributes per image file name, what the annotations say of it beyond captions (COCO only)
 */
public record UploadCaptions(
        String source, Map<String, List<String>> captions, Map<String, Map<String, Object>> attributes) {

    public static final String COCO = "coco";
    public static final String JSON_LINES = "captions-jsonl";

    public int imageCount() {
        return captions.size();
    }

    public int captionCount() {
        return captions.values().stream().mapToInt(List::size).sum();
    }

    /** Reads COCO captions for the images of the archive. */
    public static UploadCaptions fromCoco(Path annotations, ArchiveExtractor.Extracted files, DropReport dropped) {
        CocoCaptions.Annotations coco = CocoCaptions.read(annotations, files.images()::containsKey);
        dropped.add("listed in the annotations but not in the archive", coco.unwanted(), coco.unwantedExamples());
        Map<String, List<String>> captions = new LinkedHashMap<>();
        Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
        for (CocoCaptions.Image image : coco.images()) {
            if (image.captions().isEmpty()) {
                dropped.add("in the annotations without a caption", image.fileName());
                continue;
            }
            captions.put(image.fileName(), image.captions());
            attributes.put(image.fileName(), image.attributes());
        }
        Set<String> annotated = new HashSet<>();
        coco.images().forEach(image -> annotated.add(image.fileName()));
        files.images().keySet().stream()
                .filter(f -> !annotated.contains(f))
                .forEach(f -> dropped.add("in the archive but not in the annotations", f));
        if (captions.isEmpty()) {
            throw UploadRejectedException.invalid("none of the annotated images is in the archive"
                    + (coco.unwanted() > 0 ? " (" + coco.unwanted() + " annotated images are missing)" : ""));
        }
        return new UploadCaptions(COCO, captions, attributes);
    }

    /** Reads the archive's {@code captions.jsonl}: one {@code {"image": ..., "caption": ...}} per line. */
    public static UploadCaptions fromJsonLines(ArchiveExtractor.Extracted files, int maxLineBytes, DropReport dropped) {
        if (files.captions() == null) {
            throw UploadRejectedException.invalid("the archive has no captions.jsonl (or send COCO annotations)");
        }
        Map<String, List<String>> captions = new LinkedHashMap<>();
        try (Utf8Lines in = new Utf8Lines(Files.newInputStream(files.captions()), maxLineBytes)) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                CaptionLine caption = captionLine(line, in.number());
                // Lines may name an image by its path in the archive; images are matched by their file name.
                String image = ArchiveExtractor.fileName(caption.image());
                if (!files.images().containsKey(image)) {
                    throw UploadRejectedException.invalid("captions.jsonl line " + in.number() + " names image "
                            + caption.image() + ", which is not in the archive");
                }
                captions.computeIfAbsent(image, k -> new ArrayList<>())
                        .add(caption.caption().strip());
            }
        } catch (Utf8Lines.BadLine e) {
            throw UploadRejectedException.invalid("captions.jsonl line " + e.line()
                    + (e.tooLong() ? " is longer than " + maxLineBytes + " bytes" : " is not valid UTF-8"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.images().keySet().stream()
                .filter(f -> !captions.containsKey(f))
                .forEach(f -> dropped.add("in the archive without a caption in captions.jsonl", f));
        return new UploadCaptions(JSON_LINES, captions, Map.of());
    }

    /**
     * The images with a caption the filter keeps.
     *
     * @throws UploadRejectedException when no image is left
     */
    public UploadCaptions keep(KeywordFilter filter, DropReport dropped) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        captions.forEach((file, list) -> {
            if (list.stream().anyMatch(filter::matches)) {
                kept.put(file, list);
            } else {
                dropped.add(
                        "no caption has any of the keywords "
                                + String.join(
                                        ", ",
                                        filter.keywords().stream().sorted().toList()),
                        file);
            }
        });
        if (kept.isEmpty()) {
            throw UploadRejectedException.invalid(
                    filter.keepsAll()
                            ? "no image of the upload has a caption"
                            : "no image has a caption with the words " + filter.keywords());
        }
        return new UploadCaptions(source, kept, attributes);
    }

    private static CaptionLine captionLine(String line, int number) {
        CaptionLine caption;
        try {
            caption = Json.mapper().readValue(line, CaptionLine.class);
        } catch (JsonProcessingException e) {
            throw UploadRejectedException.invalid("captions.jsonl line " + number + " is not valid JSON");
        }
        if (caption.image() == null
                || caption.caption() == null
                || caption.caption().isBlank()) {
            throw UploadRejectedException.invalid("captions.jsonl line " + number + " needs an image and a caption");
        }
        return caption;
    }
}
