package dev.meadow.gateway.service.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

import dev.meadow.contracts.GenerationResult;
import dev.meadow.gateway.api.ImagePage;
import dev.meadow.gateway.api.ImageView;

/** The generated images, newest first, searchable by the words of their prompt, their batch and their model. */
public final class ImageIndex {

    private record Key(Instant completedAt, String jobId) {
    }

    private record Entry(GenerationResult result, Set<String> words) {
    }

    private static final Comparator<Key> NEWEST_FIRST = Comparator.comparing(Key::completedAt).reversed()
            .thenComparing(Key::jobId);

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Key, Entry> images = new ConcurrentSkipListMap<>(NEWEST_FIRST);

    /** Adds a successful result (a later result for the same job replaces the earlier one). */
    public void add(GenerationResult result) {
        if (result.status() != GenerationResult.Status.SUCCEEDED) {
            return;
        }
        Key key = new Key(result.completedAt(), result.jobId());
        Key previous = keys.put(result.jobId(), key);
        if (previous != null) {
            images.remove(previous);
        }
        images.put(key, new Entry(result, words(result.prompt())));
    }

    public Optional<GenerationResult> get(String jobId) {
        Key key = keys.get(jobId);
        return key == null ? Optional.empty() : Optional.ofNullable(images.get(key)).map(Entry::result);
    }

    public int size() {
        return images.size();
    }

    /**
     * Images whose prompt contains every word of {@code query} (whole words, any case), optionally of one batch
     * and one model version, newest first.
     */
    public ImagePage search(String query, String batch, String model, int page, int size) {
        Set<String> wanted = query == null ? Set.of() : words(query);
        List<ImageView> items = new ArrayList<>(size);
        int total = 0;
        long skip = (long) page * size;
        for (Entry entry : images.values()) {
            GenerationResult r = entry.result();
            if ((batch == null || batch.isBlank() || batch.equals(r.batchId()))
                    && (model == null || model.isBlank() || model.equals(r.modelVersion()))
                    && entry.words().containsAll(wanted)) {
                if (total >= skip && items.size() < size) {
                    items.add(ImageView.of(r));
                }
                total++;
            }
        }
        return new ImagePage(total, page, size, items);
    }

    static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty()).collect(Collectors.toSet());
    }
}
