package dev.meadow.gateway.service.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.contracts.Json;
import dev.meadow.gateway.service.errors.UploadRejectedException;

/**
 * Reads the official COCO captions format ({@code captions_*.json}): images, annotations and licences. The file is
 * streamed, one image or annotation at a time, and only the images a caller wants are kept, so that the 90 MB
 * captions file of COCO's training set costs memory in proportion to the images uploaded with it.
 */
public final class CocoCaptions {

    /** One COCO image with its captions and attribution. */
    public record Image(long id, String fileName, List<String> captions, Map<String, Object> attributes) {}

    /** What the annotations list: the wanted images, and how many others they name (with a few of them). */
    public record Annotations(List<Image> images, int unwanted, List<String> unwantedExamples) {}

    private static final int EXAMPLES = 5;

    private CocoCaptions() {}

    public static List<Image> read(Path file) {
        return read(file, name -> true).images();
    }

    /** The images whose file name passes {@code wanted}, with their captions. */
    public static Annotations read(Path file, Predicate<String> wanted) {
        Map<Long, JsonNode> licences = new HashMap<>();
        Map<Long, JsonNode> images = new LinkedHashMap<>();
        Map<Long, List<String>> captions = new HashMap<>();
        boolean sawImages = false;
        boolean sawAnnotations = false;
        List<String> unwantedExamples = new ArrayList<>();
        int[] unwantedBeyondExamples = {0};
        try (JsonParser parser = Json.mapper().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notCoco();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "licenses" ->
                        forEach(
                                parser,
                                value,
                                licence -> licences.put(licence.path("id").asLong(), licence));
                    case "images" -> {
                        sawImages = true;
                        List<String> skipped = new ArrayList<>();
                        forEach(parser, value, image -> {
                            long id = image.path("id").asLong();
                            String fileName = image.path("file_name").asText(null);
                            if (fileName == null || fileName.isBlank()) {
                                throw UploadRejectedException.invalid("COCO image " + id + " has no file_name");
                            }
                            if (wanted.test(ArchiveExtractor.fileName(fileName))) {
                                images.put(id, image);
                            } else if (skipped.size() < EXAMPLES) {
                                skipped.add(fileName);
                            } else {
                                unwantedBeyondExamples[0]++;
                            }
                        });
                        unwantedExamples.addAll(skipped);
                    }
                    case "annotations" -> {
                        sawAnnotations = true;
                        // Images usually come first: then only the captions of wanted images are kept.
                        boolean filter = sawImages;
                        forEach(parser, value, annotation -> {
                            if (!annotation.path("image_id").canConvertToLong()
                                    || !annotation.path("caption").isTextual()) {
                                throw UploadRejectedException.invalid("a COCO annotation lacks image_id or caption: "
                                        + abbreviated(annotation.toString()));
                            }
                            long id = annotation.path("image_id").asLong();
                            if (!filter || images.containsKey(id)) {
                                captions.computeIfAbsent(id, k -> new ArrayList<>())
                                        .add(annotation.path("caption").asText().strip());
                            }
                        });
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw UploadRejectedException.invalid("the annotations are not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (!sawImages || !sawAnnotations) {
            throw notCoco();
        }
        List<Image> result = new ArrayList<>();
        images.forEach((id, image) -> result.add(new Image(
                id,
                ArchiveExtractor.fileName(image.path("file_name").asText()),
                captions.getOrDefault(id, List.of()),
                attributes(id, image, licences))));
        return new Annotations(result, unwantedExamples.size() + unwantedBeyondExamples[0], unwantedExamples);
    }

    private interface NodeHandler {
        void accept(JsonNode node);
    }

    /** Reads an array one element at a time. */
    private static void forEach(JsonParser parser, JsonToken start, NodeHandler handler) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw notCoco();
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            handler.accept(parser.readValueAsTree());
        }
    }

    private static Map<String, Object> attributes(long id, JsonNode image, Map<Long, JsonNode> licences) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("cocoId", id);
        JsonNode licence = licences.get(image.path("license").asLong());
        if (licence != null) {
            attributes.put("license", licence.path("name").asText());
            attributes.put("licenseUrl", licence.path("url").asText());
        }
        if (image.hasNonNull("flickr_url")) {
            attributes.put("flickrUrl", image.path("flickr_url").asText());
        }
        return attributes;
    }

    private static UploadRejectedException notCoco() {
        return UploadRejectedException.invalid("the annotations are not in the COCO captions format "
                + "(they need \"images\" and \"annotations\" arrays)");
    }

    private static String abbreviated(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
