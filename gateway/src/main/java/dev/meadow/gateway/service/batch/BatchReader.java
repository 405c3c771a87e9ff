package dev.meadow.gateway.service.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.contracts.Json;
import dev.meadow.gateway.service.InvalidRequestException;

/**
 * Reads a batch one item at a time from the request body, so that a 50,000-prompt batch is never held in memory.
 * Blank lines are skipped. Anything malformed is an {@link InvalidRequestException} naming its line or item.
 */
public abstract class BatchReader implements AutoCloseable {

    /** The next item, or null at the end. */
    public abstract BatchItem next();

    public static BatchReader open(InputStream body, BatchFormat format) {
        return switch (format) {
            case TEXT -> new Lines(body, (line, where) -> line.startsWith("#") ? null : PromptLine.parse(line, where));
            case JSON_LINES -> new Lines(body, BatchReader::jsonLine);
            case JSON -> new JsonArray(body);
        };
    }

    private static BatchItem jsonLine(String line, String where) {
        try {
            return item(Json.mapper().readTree(line), where);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(where, where + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A JSON string is a prompt; an object may carry prompt, seed, count, modelVersion and candidates. */
    static BatchItem item(JsonNode node, String where) {
        if (node.isTextual()) {
            return new BatchItem(where, node.asText(), null, null, null);
        }
        if (!node.isObject()) {
            throw new InvalidRequestException(where, where + ": expected a prompt string or an object with a prompt");
        }
        for (var names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("prompt") && !name.equals("seed") && !name.equals("count")
                    && !name.equals("modelVersion") && !name.equals("candidates")) {
                throw new InvalidRequestException(where, where + ": unknown field '" + name
                        + "' (fields are prompt, seed, count, modelVersion and candidates)");
            }
        }
        JsonNode prompt = node.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
            throw new InvalidRequestException(where, where + ": prompt must be a string");
        }
        return new BatchItem(where, prompt.asText(), integer(node, "seed", where), clamped(integer(node, "count", where)),
                text(node, "modelVersion", where), null, null,
                clamped(integer(node, "candidates", where)));
    }

    private static Integer clamped(Long value) {
        return value == null ? null : BatchItem.clamp(value);
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(where, where + ": " + field + " must be a string");
        }
        return value.asText();
    }

    private static Long integer(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new InvalidRequestException(where, where + ": " + field + " must be a whole number");
        }
        return value.asLong();
    }

    private interface LineParser {
        BatchItem parse(String line, String where);
    }

    private static final class Lines extends BatchReader {

        private final BufferedReader reader;
        private final LineParser parser;
        private int number;

        Lines(InputStream body, LineParser parser) {
            this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            this.parser = parser;
        }

        @Override
        public BatchItem next() {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    number++;
                    String trimmed = line.strip();
                    if (!trimmed.isEmpty()) {
                        BatchItem item = parser.parse(trimmed, "line " + number);
                        if (item != null) {
                            return item;
                        }
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    private static final class JsonArray extends BatchReader {

        private final JsonParser parser;
        private int number;

        JsonArray(InputStream body) {
            try {
                parser = Json.mapper().getFactory().createParser(body);
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw new InvalidRequestException("body", "a JSON batch must be an array of prompts");
                }
            } catch (IOException e) {
                throw new InvalidRequestException("body", "the body is not valid JSON");
            }
        }

        @Override
        public BatchItem next() {
            String where = "item " + (number + 1);
            try {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY || token == null) {
                    return null;
                }
                number++;
                return item(parser.readValueAsTree(), where);
            } catch (JsonProcessingException e) {
                throw new InvalidRequestException(where, where + ": not valid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
