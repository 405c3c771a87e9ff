package dev.meadow.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The {@code batches} topic (compacted): every submission, and its cancellation. Keys are
 * {@code <batchId>/submitted} and {@code <batchId>/cancelled}, so compaction keeps both.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = BatchSubmitted.class, name = "submitted"),
    @JsonSubTypes.Type(value = BatchCancelled.class, name = "cancelled")
})
public sealed interface BatchEvent extends Contract permits BatchSubmitted, BatchCancelled {

    String batchId();

    String key();
}
