package dev.meadow.contracts;

import java.util.ArrayList;
import java.util.List;

/**
 * A second prompt's influence: the condition is the spherical interpolation from the request's prompt embedding
 * towards this prompt's, {@code weight} of the way (0 is the first prompt alone, 1 this one alone).
 */
public record Towards(String prompt, double weight) {

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (prompt == null || prompt.isBlank()) {
            problems.add("towards.prompt must not be empty");
        } else if (prompt.length() > GenerationRequest.MAX_PROMPT_LENGTH) {
            problems.add("towards.prompt is longer than " + GenerationRequest.MAX_PROMPT_LENGTH + " characters");
        }
        if (!(weight >= 0 && weight <= 1)) {
            problems.add("towards.weight must be between 0 and 1");
        }
        return problems;
    }
}
