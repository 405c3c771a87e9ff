package dev.meadow.gateway.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.meadow.gateway.api.ImagePage;

/** Previous/next links of a gallery page, keeping the search. */
public record Pager(long page, int pages, String previous, String next) {

    static Pager of(String path, ImagePage images, Map<String, String> query) {
        int pages = Math.max(1, images.pages());
        int page = images.page();
        // A page past the end leads back to the last one; long arithmetic, since page may be Integer.MAX_VALUE.
        return new Pager(page + 1L, pages,
                page > 0 ? link(path, query, Math.min(page - 1, pages - 1)) : null,
                page < pages - 1 ? link(path, query, page + 1) : null);
    }

    private static String link(String path, Map<String, String> query, int page) {
        Map<String, String> params = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                params.put(k, v);
            }
        });
        params.put("page", Integer.toString(page));
        return path + "?" + params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
