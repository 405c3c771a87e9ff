package dev.meadow.gateway.api;

import java.util.List;

/**
 * One page of a gallery listing, newest first.
 *
 * @param total images that match; when {@code totalExact} is false, about this many (an estimate)
 * @param next the cursor of the page after this one (older images), or null on the last page
 * @param previous the cursor of the page before this one (newer images), or null on the first page
 */
public record ImagePage(
        long total, boolean totalExact, int size, List<ImageView> items, String next, String previous) {}
