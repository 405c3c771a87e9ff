package dev.meadow.gateway.api;

import java.util.List;

/** Images of an upload that were left out of its snapshot, why, how many, and the first few of them. */
public record DroppedImages(String reason, int count, List<String> examples) {}
