package dev.meadow.gateway.service.batch;

/**
 * One prompt of a batch with its optional overrides.
 *
 * @param where the line or item number, for error messages ("line 17", "item 3")
 */
public record BatchItem(String where, String prompt, Long seed, Integer count, String modelVersion) {
}
