package dev.meadow.gateway.service.dataset;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps captions that contain one of the keywords as a whole word, in any case, with its plural: "hill" matches
 * "Hill" and "hills" but not "chill" (the bug in the paper's own filter). An empty keyword list keeps everything.
 */
public final class KeywordFilter {

    private final Set<String> keywords;

    public KeywordFilter(List<String> keywords) {
        this.keywords = keywords.stream()
                .map(k -> k.strip().toLowerCase(Locale.ROOT))
                .filter(k -> !k.isEmpty())
                .collect(Collectors.toSet());
    }

    public boolean keepsAll() {
        return keywords.isEmpty();
    }

    public boolean matches(String caption) {
        if (keywords.isEmpty()) {
            return true;
        }
        return Arrays.stream(caption.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .anyMatch(word -> keywords.contains(word)
                        || (word.endsWith("es") && keywords.contains(word.substring(0, word.length() - 2)))
                        || (word.endsWith("s") && keywords.contains(word.substring(0, word.length() - 1))));
    }

    public Set<String> keywords() {
        return keywords;
    }
}
