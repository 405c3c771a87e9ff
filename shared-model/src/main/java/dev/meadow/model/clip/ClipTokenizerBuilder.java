package dev.meadow.model.clip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.meadow.contracts.Json;

/**
 * Builds a Hugging Face {@code tokenizer.json} (a word-level model) from training captions: lower-cased words and
 * punctuation, each word seen at least {@code minCount} times gets an id, everything else maps to {@code [UNK]}.
 */
public final class ClipTokenizerBuilder {

    public static final String PAD = "[PAD]";
    public static final String UNKNOWN = "[UNK]";
    /** The same split as the tokenizer's Whitespace pre-tokenizer. */
    private static final Pattern WORD = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    private ClipTokenizerBuilder() {}

    /** Writes the tokenizer and returns its vocabulary size. */
    public static int write(Collection<String> captions, int minCount, Path file) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String caption : captions) {
            Matcher m = WORD.matcher(caption.toLowerCase(Locale.ROOT));
            while (m.find()) {
                counts.merge(m.group(), 1, Integer::sum);
            }
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        vocab.put(PAD, 0);
        vocab.put(UNKNOWN, 1);
        counts.forEach((word, count) -> {
            if (count >= minCount) {
                vocab.put(word, vocab.size());
            }
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.0");
        json.put("truncation", null);
        json.put("padding", null);
        json.put("added_tokens", List.of(special(0, PAD), special(1, UNKNOWN)));
        json.put("normalizer", Map.of("type", "Lowercase"));
        json.put("pre_tokenizer", Map.of("type", "Whitespace"));
        json.put("post_processor", null);
        json.put("decoder", null);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "WordLevel");
        model.put("vocab", vocab);
        model.put("unk_token", UNKNOWN);
        json.put("model", model);
        try {
            Json.mapper()
                    .copy()
                    .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return vocab.size();
    }

    private static Map<String, Object> special(int id, String content) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("id", id);
        token.put("content", content);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", true);
        return token;
    }
}
