package dev.meadow.gateway.service.batch;

/** The three ways a batch can be written. */
public enum BatchFormat {
    /** A JSON array of prompts (strings) or items ({@code {"prompt": ..., "seed": ..., "count": ...}}). */
    JSON,
    /** One JSON prompt or item per line. */
    JSON_LINES,
    /** One prompt per line, optionally led by overrides: {@code --seed 42 --count 4 a cow in the grass}. */
    TEXT
}
