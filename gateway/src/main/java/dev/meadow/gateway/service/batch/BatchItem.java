package dev.meadow.gateway.service.batch;

/**
 * One prompt of a batch with its optional overrides.
 *
 * @param where the line or item number, for error messages ("line 17", "item 3")
 * @param towards a second prompt to move towards in {@code steps} images with one seed, or null
 * @param prior false draws without the decoder's prior; null or true through it, where the decoder has one
 */
public record BatchItem(
        String where,
        String prompt,
        Long seed,
        Integer count,
        String modelVersion,
        String towards,
        Integer steps,
        Integer candidates,
        Boolean prior) {

    /** Images in a strip towards a second prompt when the request does not say. */
    public static final int DEFAULT_STEPS = 5;

    public BatchItem(String where, String prompt, Long seed, Integer count, String modelVersion) {
        this(where, prompt, seed, count, modelVersion, null, null, null, null);
    }

    /** A count as an int; values outside the int range stay outside the valid range, for validation to report. */
    static int clamp(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    /** How many images this item asks for. */
    public int images() {
        if (towards != null) {
            return steps != null ? steps : DEFAULT_STEPS;
        }
        return count != null ? count : 1;
    }
}
