package dev.meadow.storage;

import java.time.Instant;

/** An object's key, size and last change, as a listing reports them. */
public record StoredObject(String key, long size, Instant lastModified) {}
