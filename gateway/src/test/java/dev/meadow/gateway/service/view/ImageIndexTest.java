package dev.meadow.gateway.service.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.gateway.api.ImagePage;
import org.junit.jupiter.api.Test;

class ImageIndexTest {

    private static GenerationResult image(int i) {
        Instant at = Instant.parse("2026-11-29T10:00:00Z").plusSeconds(i);
        GenerationRequest request = GenerationRequest.of("idx-" + i, "idx", i, "a cow number " + i, i, null, at);
        return GenerationResult.succeeded(request, "idx-" + i + ".png", 32, 32, "m-1", "clip-1",
                new GenerationResult.Timings(1, 1, 1), at);
    }

    @Test
    void pagesFarBeyondTheEndAreEmptyEvenWherePageTimesSizeOverflowsAnInt() {
        ImageIndex index = new ImageIndex();
        for (int i = 0; i < 5; i++) {
            index.add(image(i));
        }
        // 89,478,486 x 24 = 2,147,483,664: one past Integer.MAX_VALUE, so an int product wraps to a negative skip.
        ImagePage far = index.search(null, null, null, 89_478_486, 24);
        assertThat(far.total()).isEqualTo(5);
        assertThat(far.items()).isEmpty();
        assertThat(index.search(null, null, null, Integer.MAX_VALUE, 100).items()).isEmpty();
        assertThat(index.search(null, null, null, 1, 2).items()).extracting(v -> v.jobId())
                .containsExactly("idx-2", "idx-1");
    }
}
