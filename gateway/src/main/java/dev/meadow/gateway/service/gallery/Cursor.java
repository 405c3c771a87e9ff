package dev.meadow.gateway.service.gallery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * A place in the gallery's newest-first order: the completion time and job id of an image. Pages are read from
 * one (keyset paging), so page 1,000 costs what page 1 does. Opaque to clients.
 */
public record Cursor(Instant completedAt, String jobId) {

    public String encode() {
        long micros = completedAt.getEpochSecond() * 1_000_000L + completedAt.getNano() / 1_000;
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((micros + ":" + jobId).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor {@code text} encodes, or empty if it is not one. */
    public static Optional<Cursor> decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon <= 0 || colon == plain.length() - 1) {
                return Optional.empty();
            }
            long micros = Long.parseLong(plain.substring(0, colon));
            Instant at = Instant.ofEpochSecond(
                    Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
            return Optional.of(new Cursor(at, plain.substring(colon + 1)));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
