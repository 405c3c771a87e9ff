package dev.meadow.eval;

import java.util.Map;

/**
 * One prompt of an evaluation set, with what its picture should show where that is known.
 *
 * @param attributes manifest-style scene attributes ({@code sky}, {@code ground}, {@code snow}, {@code animals});
 *     empty for prompts without ground truth
 */
public record EvalPrompt(String prompt, Map<String, Object> attributes) {

    public EvalPrompt {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("an evaluation prompt must not be empty");
        }
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
