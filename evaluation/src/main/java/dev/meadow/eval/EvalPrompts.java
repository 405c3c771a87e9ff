package dev.meadow.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.contracts.Json;
import dev.meadow.dataset.ImageEntry;
import dev.meadow.dataset.Snapshot;
import dev.meadow.synth.CaptionWriter;

/**
 * Evaluation prompt sets: read from JSON Lines ({@code {"prompt": "...", "attributes": {"sky": "blue", ...}}}, the
 * attributes optional) or taken from a Pastoral-Synth snapshot, one caption per image with what the caption states of
 * the scene as truth.
 */
public final class EvalPrompts {

    private EvalPrompts() {}

    /** One caption of every image (chosen by {@code seed}), with the image's attributes. */
    public static List<EvalPrompt> fromSnapshot(Snapshot snapshot, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<EvalPrompt> prompts = new ArrayList<>();
        for (ImageEntry entry : snapshot.manifest().images()) {
            List<String> captions = snapshot.captionsByImage().getOrDefault(entry.file(), List.of());
            if (captions.isEmpty()) {
                continue;
            }
            String caption = captions.get(random.nextInt(captions.size()));
            prompts.add(new EvalPrompt(caption, stated(caption, entry.attributes())));
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("snapshot " + snapshot.directory() + " has no captions to prompt with");
        }
        return prompts;
    }

    /**
     * The scene's attributes that its caption lets a reader know. Captions leave phrases out, and a picture cannot be
     * held to a sky its prompt never named, nor to a barn, lake, mountains, trees or snow the prompt left out; a
     * caption without them asks for none where the scene has none. Ground, close-up and the animals (their kind and
     * count) are always in the caption. No caption names the sun or the moon.
     */
    static Map<String, Object> stated(String caption, Map<String, Object> scene) {
        Map<String, Object> stated = new LinkedHashMap<>(scene);
        if (!CaptionWriter.statesSky(caption)) {
            stated.remove(Attribute.SKY.key());
        }
        String text = caption.toLowerCase(java.util.Locale.ROOT);
        for (Map.Entry<Attribute, List<String>> words : MENTIONS.entrySet()) {
            Attribute attribute = words.getKey();
            if ("true".equals(attribute.of(scene)) && words.getValue().stream().noneMatch(text::contains)) {
                stated.remove(attribute.key());
            }
        }
        // Sun or moon is derived from these two.
        stated.remove("sun");
        stated.remove("moon");
        return stated;
    }

    private static final Map<Attribute, List<String>> MENTIONS = Map.of(
            Attribute.SNOW, List.of("snow"),
            Attribute.BARN, List.of("barn"),
            Attribute.LAKE, List.of("lake"),
            Attribute.MOUNTAINS, List.of("mountain"),
            Attribute.TREES, List.of("tree", "forest"));

    public static List<EvalPrompt> read(Path file) {
        List<EvalPrompt> prompts = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                prompts.add(parse(line, file, number));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no prompts");
        }
        return prompts;
    }

    public static void write(Path file, List<EvalPrompt> prompts) {
        StringBuilder out = new StringBuilder();
        try {
            for (EvalPrompt prompt : prompts) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("prompt", prompt.prompt());
                Map<String, Object> attributes = new LinkedHashMap<>();
                for (Attribute attribute : Attribute.values()) {
                    String value = attribute.of(prompt.attributes());
                    if (value != null) {
                        attributes.put(attribute.key(), value);
                    }
                }
                line.put("attributes", attributes);
                out.append(Json.mapper().writeValueAsString(line)).append('\n');
            }
            Files.writeString(file, out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static EvalPrompt parse(String line, Path file, int number) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " line " + number + ": not JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()
                || !node.path("prompt").isTextual()
                || node.path("prompt").asText().isBlank()) {
            throw new IllegalArgumentException(file + " line " + number + ": expected {\"prompt\": \"...\"}");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        JsonNode given = node.path("attributes");
        for (Attribute attribute : Attribute.values()) {
            JsonNode value = given.path(attribute.key());
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            String text = value.asText();
            if (attribute.of(Map.of(attribute.key(), text)) == null) {
                throw new IllegalArgumentException(file + " line " + number + ": " + attribute.key()
                        + " must be one of " + attribute.labels() + ", not '" + text + "'");
            }
            attributes.put(attribute.key(), text);
        }
        return new EvalPrompt(node.get("prompt").asText(), attributes);
    }
}
