package dev.meadow.contracts;

import java.util.List;

/**
 * A record that travels on a Kafka topic. Every one carries the schema version it was written with and can say
 * what, if anything, is wrong with it.
 */
public interface Contract {

    /** The schema version this record was written with. */
    int version();

    /** Human-readable problems with this record; empty when it is valid. */
    List<String> problems();
}
