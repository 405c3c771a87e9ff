package dev.meadow.contracts;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A Kafka topic and the one record type it carries.
 *
 * @param keyedBy what the record key is, for readers of the code and the docs
 * @param config topic-level settings applied when Meadow creates it
 * @param writers the only components allowed to write it (the broker's ACLs are made from this)
 * @param readers the components that consume it; each may also write its dead letters
 */
public record Topic<T extends Contract>(
        String name,
        int partitions,
        Class<T> type,
        String keyedBy,
        Map<String, String> config,
        Set<Component> writers,
        Set<Component> readers) {

    public Topic {
        writers = Set.copyOf(writers);
        readers = Set.copyOf(readers);
    }

    /** Where records that cannot be processed go, with the reason in a header. */
    public String deadLetterTopic() {
        return name + ".dlq";
    }

    /** Serialises a record, refusing one that breaks the contract: nothing invalid is ever published. */
    public byte[] encode(T value) {
        List<String> problems = value.problems();
        if (!problems.isEmpty()) {
            throw new InvalidMessageException("refusing to publish an invalid " + type.getSimpleName() + " on " + name
                    + ": " + String.join("; ", problems));
        }
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("cannot serialise " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Reads and validates a record; the exception's message says exactly what is wrong. */
    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidMessageException("empty record on " + name);
        }
        T value;
        try {
            value = Json.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new InvalidMessageException(
                    "malformed " + type.getSimpleName() + " on " + name + ": " + describe(e), e);
        }
        if (value == null) {
            throw new InvalidMessageException("null record on " + name);
        }
        List<String> problems = value.problems();
        if (!problems.isEmpty()) {
            throw new InvalidMessageException(
                    "invalid " + type.getSimpleName() + " on " + name + ": " + String.join("; ", problems));
        }
        return value;
    }

    private static String describe(IOException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return "field '" + field + "': " + firstLine(mapping.getOriginalMessage());
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
