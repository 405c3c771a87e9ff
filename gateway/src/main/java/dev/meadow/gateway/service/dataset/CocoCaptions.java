package dev.meadow.gateway.service.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.contracts.Json;
import dev.meadow.gateway.service.UploadRejectedException;

/** Reads the official COCO captions format ({@code captions_*.json}): images, annotations and licences. */
public final class CocoCaptions {

    /** One COCO image with its captions and attribution. */
    public record Image(long id, String fileName, List<String> captions, Map<String, Object> attributes) {
    }

    private CocoCaptions() {
    }

    public static List<Image> read(Path file) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw UploadRejectedException.invalid("the annotations are not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.path("images").isArray() || !root.path("annotations").isArray()) {
            throw UploadRejectedException.invalid("the annotations are not in the COCO captions format "
                    + "(they need \"images\" and \"annotations\" arrays)");
        }
        Map<Long, JsonNode> licences = new HashMap<>();
        for (JsonNode licence : root.path("licenses")) {
            licences.put(licence.path("id").asLong(), licence);
        }
        Map<Long, List<String>> captions = new HashMap<>();
        for (JsonNode annotation : root.path("annotations")) {
            if (!annotation.path("image_id").canConvertToLong() || !annotation.path("caption").isTextual()) {
                throw UploadRejectedException.invalid("a COCO annotation lacks image_id or caption: " + annotation);
            }
            captions.computeIfAbsent(annotation.path("image_id").asLong(), k -> new ArrayList<>())
                    .add(annotation.path("caption").asText().strip());
        }
        List<Image> images = new ArrayList<>();
        for (JsonNode image : root.path("images")) {
            long id = image.path("id").asLong();
            String fileName = image.path("file_name").asText(null);
            if (fileName == null || fileName.isBlank()) {
                throw UploadRejectedException.invalid("COCO image " + id + " has no file_name");
            }
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
            images.add(new Image(id, fileName, captions.getOrDefault(id, List.of()), attributes));
        }
        return images;
    }
}
