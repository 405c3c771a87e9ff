package dev.meadow.gateway.api;

import java.util.List;

/** One page of a gallery search, newest first. */
public record ImagePage(int total, int page, int size, List<ImageView> items) {

    public int pages() {
        return size == 0 ? 0 : (total + size - 1) / size;
    }
}
