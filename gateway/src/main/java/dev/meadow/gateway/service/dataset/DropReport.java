package dev.meadow.gateway.service.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meadow.gateway.api.DroppedImages;

/** Tallies the images an upload leaves out, by reason, keeping the first few names of each as examples. */
public final class DropReport {

    private static final int EXAMPLES = 5;

    private final Map<String, Tally> reasons = new LinkedHashMap<>();

    private static final class Tally {
        int count;
        final List<String> examples = new ArrayList<>();
    }

    public void add(String reason, String file) {
        add(reason, 1, List.of(file));
    }

    public void add(String reason, int count, List<String> examples) {
        if (count == 0) {
            return;
        }
        Tally tally = reasons.computeIfAbsent(reason, r -> new Tally());
        tally.count += count;
        examples.stream().limit(EXAMPLES - tally.examples.size()).forEach(tally.examples::add);
    }

    public List<DroppedImages> toList() {
        return reasons.entrySet().stream()
                .map(e -> new DroppedImages(e.getKey(), e.getValue().count, List.copyOf(e.getValue().examples)))
                .toList();
    }
}
