package dev.meadow.gateway.service.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.contracts.Json;
import dev.meadow.gateway.service.errors.InvalidRequestException;
import dev.meadow.gateway.service.text.Utf8Lines;

/**
 * Reads a batch one item at a time from the request body, so that a 50,000-prompt batch is never held in memory.
 * Blank lines are skipped, a UTF-8 byte-order mark at the start is ignored, and no line or string longer than the
 * limit is ever held. Anything malformed, bytes that are not UTF-8 included, is an {@link InvalidRequestException}
 * naming its line or item.
 */
public abstract class BatchReader implements AutoCloseable {

    /** The next item, or null at the end. */
    public abstract BatchItem next();

    @Override
    public abstract void close() throws IOException;

    /** {@code maxLineBytes} bounds a line of the text formats and a string of the JSON one. */
    public static BatchReader open(InputStream body, BatchFormat format, int maxLineBytes) {
        return switch (format) {
            case TEXT ->
                new Lines(
                        body,
                        maxLineBytes,
                        (line, where) -> line.startsWith("#") ? null : PromptLine.parse(line, where));
            case JSON_LINES -> new Lines(body, maxLineBytes, BatchReader::jsonLine);
            case JSON -> new JsonArray(body, maxLineBytes);
        };
    }

    private static InvalidRequestException notUtf8(String where) {
        return new InvalidRequestException(where, where + ": not valid UTF-8; save the file as UTF-8 text");
    }

    private static InvalidRequestException tooLong(String where, int maxLineBytes) {
        return new InvalidRequestException(
                where, where + " is longer than " + maxLineBytes + " bytes, the limit for one line");
    }

    private static BatchItem jsonLine(String line, String where) {
        try {
            return item(Json.mapper().readTree(line), where);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(where, where + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A JSON string is a prompt; an object may carry prompt, seed, count, modelVersion, candidates and prior. */
    static BatchItem item(JsonNode node, String where) {
        if (node.isTextual()) {
            return new BatchItem(where, node.asText(), null, null, null);
        }
        if (!node.isObject()) {
            throw new InvalidRequestException(where, where + ": expected a prompt string or an object with a prompt");
        }
        for (var names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("prompt")
                    && !name.equals("seed")
                    && !name.equals("count")
                    && !name.equals("modelVersion")
                    && !name.equals("candidates")
                    && !name.equals("prior")) {
                throw new InvalidRequestException(
                        where,
                        where + ": unknown field '" + name
                                + "' (fields are prompt, seed, count, modelVersion, candidates and prior)");
            }
        }
        JsonNode prompt = node.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
            throw new InvalidRequestException(where, where + ": prompt must be a string");
        }
        return new BatchItem(
                where,
                prompt.asText(),
                integer(node, "seed", where),
                clamped(integer(node, "count", where)),
                text(node, "modelVersion", where),
                null,
                null,
                clamped(integer(node, "candidates", where)),
                bool(node, "prior", where));
    }

    private static Boolean bool(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidRequestException(where, where + ": " + field + " must be true or false");
        }
        return value.booleanValue();
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

        private final Utf8Lines lines;
        private final int maxLineBytes;
        private final LineParser parser;

        Lines(InputStream body, int maxLineBytes, LineParser parser) {
            this.lines = new Utf8Lines(body, maxLineBytes);
            this.maxLineBytes = maxLineBytes;
            this.parser = parser;
        }

        @Override
        public BatchItem next() {
            try {
                String text;
                while ((text = lines.next()) != null) {
                    String trimmed = text.strip();
                    if (!trimmed.isEmpty()) {
                        BatchItem item = parser.parse(trimmed, "line " + lines.number());
                        if (item != null) {
                            return item;
                        }
                    }
                }
                return null;
            } catch (Utf8Lines.BadLine e) {
                throw e.tooLong() ? tooLong("line " + e.line(), maxLineBytes) : notUtf8("line " + e.line());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    private static final class JsonArray extends BatchReader {

        private final JsonParser parser;
        private int number;

        private final int maxLineBytes;

        JsonArray(InputStream body, int maxLineBytes) {
            this.maxLineBytes = maxLineBytes;
            JsonFactory factory = Json.mapper()
                    .getFactory()
                    .copy()
                    .setStreamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(maxLineBytes)
                            .build());
            try {
                parser = factory.createParser(body);
                parser.setCodec(Json.mapper());
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
            } catch (StreamConstraintsException e) {
                throw new InvalidRequestException(
                        where,
                        where + " holds a string longer than " + maxLineBytes
                                + " characters, the limit for one string");
            } catch (JsonProcessingException e) {
                if (e.getOriginalMessage().contains("UTF-8")
                        || e.getOriginalMessage().contains("UTF8")) {
                    throw notUtf8(where);
                }
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
