package dev.meadow.gateway.service.dataset;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.meadow.gateway.api.DatasetUpload;
import dev.meadow.gateway.service.errors.UploadRejectedException;

/**
 * The dataset upload form's fields, read by hand: a field JAX-RS cannot convert would get a bare 400 that names
 * nothing, and a boolean it cannot read would silently be false.
 */
public final class UploadForm {

    /** Most keywords one upload may filter by. */
    public static final int MAX_KEYWORDS = 200;

    /** Longest keyword, in characters. */
    public static final int MAX_KEYWORD_LENGTH = 64;

    private UploadForm() {}

    public static DatasetUpload read(
            String name,
            Path archive,
            long archiveSize,
            Path annotations,
            String keywords,
            String preset,
            String conditioning,
            String epochs,
            String batchSize,
            String learningRate,
            String seed,
            String activate,
            String prior) {
        return new DatasetUpload(
                name,
                archive,
                archiveSize,
                annotations,
                keywords(keywords),
                preset,
                conditioning,
                integer("epochs", epochs),
                integer("batchSize", batchSize),
                decimal("learningRate", learningRate),
                wholeNumber("seed", seed),
                bool("activate", activate),
                prior == null || prior.isBlank() ? null : bool("prior", prior));
    }

    /** Keywords separated by commas or white space. */
    static List<String> keywords(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> words = Arrays.stream(value.split("[,\\s]+"))
                .filter(w -> !w.isBlank())
                .distinct()
                .toList();
        if (words.size() > MAX_KEYWORDS) {
            throw UploadRejectedException.invalid("keywords: at most " + MAX_KEYWORDS + " words, not " + words.size());
        }
        for (String word : words) {
            if (word.length() > MAX_KEYWORD_LENGTH) {
                throw UploadRejectedException.invalid(
                        "keywords: '" + shown(word) + "' is longer than " + MAX_KEYWORD_LENGTH + " characters");
            }
        }
        return words;
    }

    static Long wholeNumber(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw UploadRejectedException.invalid(field + " must be a whole number, not '" + shown(value) + "'");
        }
    }

    static Integer integer(String field, String value) {
        Long number = wholeNumber(field, value);
        if (number != null && (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE)) {
            throw UploadRejectedException.invalid(field + " is out of range: " + number);
        }
        return number == null ? null : number.intValue();
    }

    static Double decimal(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double number = Double.parseDouble(value.strip());
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Refused below.
        }
        throw UploadRejectedException.invalid(field + " must be a number, not '" + shown(value) + "'");
    }

    /** Absent is false; a checkbox sends "on". */
    static boolean bool(String field, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default ->
                throw UploadRejectedException.invalid(field + " must be true or false, not '" + shown(value) + "'");
        };
    }

    private static String shown(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
