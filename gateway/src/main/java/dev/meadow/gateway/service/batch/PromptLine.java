package dev.meadow.gateway.service.batch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.meadow.gateway.service.errors.InvalidRequestException;

/**
 * A line of a prompts file, in the style of the well-known "prompts from file" format: options first, then the
 * prompt, or the prompt given as {@code --prompt "..."}. Options: {@code --seed N}, {@code --count N}
 * (alias {@code --batch_size}), {@code --model VERSION}, {@code --candidates N} (best of N), and the flag {@code
 * --no-prior} (draw from the prompt's embedding even where the decoder has a prior). A line that does not
 * start with an option is the prompt, verbatim: apostrophes and quotes in captions are text, not syntax. One of those
 * options after the prompt's words is refused, unless the prompt is quoted: it was meant as an option, and would be
 * drawn as words.
 */
final class PromptLine {

    private static final Pattern TRAILING_OPTION =
            Pattern.compile("(?:^|\\s)(--(?:prompt|seed|count|batch_size|model|candidates|no-prior))(?:\\s|=|$)");

    private PromptLine() {}

    static BatchItem parse(String line, String where) {
        Scanner scanner = new Scanner(line, where);
        String prompt = null;
        Long seed = null;
        Integer count = null;
        Integer candidates = null;
        String model = null;
        Boolean prior = null;
        while (scanner.atOption()) {
            String option = scanner.word();
            if (option.equals("--no-prior")) {
                prior = false;
                continue;
            }
            String value = scanner.value(option);
            switch (option) {
                case "--prompt" -> prompt = value;
                case "--seed" -> seed = number(value, option, where);
                case "--count", "--batch_size" -> count = count(value, option, where);
                case "--model" -> model = value;
                case "--candidates" -> candidates = count(value, option, where);
                default ->
                    throw new InvalidRequestException(
                            where,
                            where + ": unknown option " + option
                                    + " (options are --prompt, --seed, --count, --model, --candidates and --no-prior)");
            }
        }
        String written = scanner.restAsWritten();
        String rest = scanner.rest();
        if (prompt != null && !rest.isEmpty()) {
            throw new InvalidRequestException(
                    where, where + ": give the prompt either with --prompt or after the " + "options, not both");
        }
        // An option after the prompt's words would silently become prompt text, and draw the wrong picture.
        // A prompt in quotes says its words are meant.
        Matcher late = TRAILING_OPTION.matcher(rest);
        if (written.equals(rest) && late.find()) {
            throw new InvalidRequestException(
                    where,
                    where + ": " + late.group(1) + " comes after the prompt's words, where it would be part of the"
                            + " prompt; put options first, each followed by its value (--seed 7 a cow in the"
                            + " snow), or quote the prompt if the words are meant");
        }
        return new BatchItem(where, prompt != null ? prompt : rest, seed, count, model, null, null, candidates, prior);
    }

    /** A count; values outside the int range stay outside it, for validation to report. */
    private static int count(String value, String option, String where) {
        return BatchItem.clamp(number(value, option, where));
    }

    private static long number(String value, String option, String where) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(
                    where, where + ": " + option + " takes a whole number, not '" + value + "'");
        }
    }

    /** Reads options and their (possibly quoted) values from the start of a line; the rest is the prompt. */
    private static final class Scanner {

        private final String line;
        private final String where;
        private int position;

        Scanner(String line, String where) {
            this.line = line;
            this.where = where;
            skipSpace();
        }

        boolean atOption() {
            return line.startsWith("--", position);
        }

        /** The next white-space-delimited word. */
        String word() {
            int start = position;
            while (position < line.length() && !Character.isWhitespace(line.charAt(position))) {
                position++;
            }
            String word = line.substring(start, position);
            skipSpace();
            return word;
        }

        /** An option's value: one word, or a "double" or 'single' quoted text. */
        String value(String option) {
            if (position >= line.length()) {
                throw new InvalidRequestException(where, where + ": option " + option + " needs a value");
            }
            char first = line.charAt(position);
            if (first != '"' && first != '\'') {
                return word();
            }
            int end = line.indexOf(first, position + 1);
            if (end < 0) {
                throw new InvalidRequestException(where, where + ": a quote is not closed");
            }
            String value = line.substring(position + 1, end);
            position = end + 1;
            skipSpace();
            return value;
        }

        /** What follows the options, as written. */
        String restAsWritten() {
            return line.substring(position).strip();
        }

        /** What follows the options: the prompt, without one pair of quotes that enclose all of it. */
        String rest() {
            String rest = restAsWritten();
            if (rest.length() >= 2
                    && (rest.charAt(0) == '"' || rest.charAt(0) == '\'')
                    && rest.charAt(rest.length() - 1) == rest.charAt(0)
                    && rest.indexOf(rest.charAt(0), 1) == rest.length() - 1) {
                return rest.substring(1, rest.length() - 1);
            }
            return rest;
        }

        private void skipSpace() {
            while (position < line.length() && Character.isWhitespace(line.charAt(position))) {
                position++;
            }
        }
    }
}
