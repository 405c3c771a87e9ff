package dev.meadow.gateway.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.meadow.gateway.api.ImagePage;

/** Newer/older links of a gallery page, keeping the search; null where there is no such page. */
public record Pager(String newest, String newer, String older) {

    static Pager of(String path, ImagePage images, Map<String, String> query) {
        return new Pager(
                images.previous() == null ? null : link(path, query, null, null),
                images.previous() == null ? null : link(path, query, "before", images.previous()),
                images.next() == null ? null : link(path, query, "after", images.next()));
    }

    private static String link(String path, Map<String, String> query, String cursorName, String cursor) {
        Map<String, String> params = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                params.put(k, v);
            }
        });
        if (cursorName != null) {
            params.put(cursorName, cursor);
        }
        return params.isEmpty()
                ? path
                : path + "?"
                        + params.entrySet().stream()
                                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                                .collect(Collectors.joining("&"));
    }
}
