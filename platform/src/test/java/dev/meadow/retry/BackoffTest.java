package dev.meadow.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCeilingAndStartsOverAfterASuccess() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(3));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aLongOutageNeitherOverflowsNorPassesTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(1));
        for (int i = 0; i < 10_000; i++) {
            assertThat(backoff.next()).isBetween(Duration.ofSeconds(5), Duration.ofMinutes(1));
        }
        assertThat(Backoff.delay(Duration.ofSeconds(1), Duration.ofHours(1), Integer.MAX_VALUE))
                .isEqualTo(Duration.ofHours(1));
        assertThat(Backoff.delay(Duration.ofSeconds(1), Duration.ofHours(1), 0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void zeroRetriesAtOnceAndACeilingBelowTheFirstDelayKeepsTheFirst() {
        Backoff immediate = new Backoff(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(immediate.next()).isZero();
        assertThat(immediate.next()).isZero();
        Backoff flat = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(flat.next()).isEqualTo(Duration.ofSeconds(2));
        assertThat(flat.next()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
