package dev.meadow.dataset;

import java.util.Map;

/**
 * One image of a snapshot.
 *
 * @param file the file name under {@code images/}
 * @param attributes what is known about the picture: the scene graph of a Pastoral-Synth render, the source id
 *        and licence of an imported photo
 */
public record ImageEntry(String file, Map<String, Object> attributes) {}
