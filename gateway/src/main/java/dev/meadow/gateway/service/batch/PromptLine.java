package dev.meadow.gateway.service.batch;

import java.util.ArrayList;
import java.util.List;

import dev.meadow.gateway.service.InvalidRequestException;

/**
 * A line of a prompts file, in the style of the well-known "prompts from file" format: options first, then the
 * prompt, or the prompt given as {@code --prompt "..."}. Options: {@code --seed N}, {@code --count N}
 * (alias {@code --batch_size}), {@code --model VERSION}, {@code --candidates N} (best of N).
 */
final class PromptLine {

    private PromptLine() {
    }

    static BatchItem parse(String line, String where) {
        List<String> tokens = tokenize(line, where);
        String prompt = null;
        Long seed = null;
        Integer count = null;
        Integer candidates = null;
        String model = null;
        int i = 0;
        while (i < tokens.size() && tokens.get(i).startsWith("--")) {
            String option = tokens.get(i);
            if (i + 1 >= tokens.size()) {
                throw new InvalidRequestException(where, where + ": option " + option + " needs a value");
            }
            String value = tokens.get(i + 1);
            switch (option) {
                case "--prompt" -> prompt = value;
                case "--seed" -> seed = number(value, option, where);
                case "--count", "--batch_size" -> count = count(value, option, where);
                case "--model" -> model = value;
                case "--candidates" -> candidates = count(value, option, where);
                default -> throw new InvalidRequestException(where, where + ": unknown option " + option
                        + " (options are --prompt, --seed, --count, --model and --candidates)");
            }
            i += 2;
        }
        String rest = String.join(" ", tokens.subList(i, tokens.size()));
        if (prompt != null && !rest.isEmpty()) {
            throw new InvalidRequestException(where, where + ": give the prompt either with --prompt or after the "
                    + "options, not both");
        }
        return new BatchItem(where, prompt != null ? prompt : rest, seed, count, model, null, null, candidates);
    }

    /** A count; values too large for an int stay too large, for validation to report. */
    private static int count(String value, String option, String where) {
        return (int) Math.min(Integer.MAX_VALUE, number(value, option, where));
    }

    private static long number(String value, String option, String where) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(where, where + ": " + option + " takes a whole number, not '"
                    + value + "'");
        }
    }

    /** Splits on white space, keeping "double" or 'single' quoted parts together. */
    private static List<String> tokenize(String line, String where) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean inToken = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new InvalidRequestException(where, where + ": a quote is not closed");
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
