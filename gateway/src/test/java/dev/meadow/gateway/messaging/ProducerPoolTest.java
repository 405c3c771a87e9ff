package dev.meadow.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import org.junit.jupiter.api.Test;

class ProducerPoolTest {

    /** What the pool hands out: which slot it was started for, and the how-many-th start it was. */
    record Started(int slot, int start) {}

    private final AtomicInteger starts = new AtomicInteger();
    private final List<Started> closed = new ArrayList<>();

    private ProducerPool<Started> pool(int size) {
        return new ProducerPool<>(
                size,
                Duration.ofMillis(50),
                "test producers",
                index -> new Started(index, starts.incrementAndGet()),
                closed::add);
    }

    @Test
    void aReleasedProducerServesTheNextUser() {
        ProducerPool<Started> pool = pool(1);
        ProducerPool.Slot<Started> first = pool.acquire();
        pool.release(first);
        ProducerPool.Slot<Started> second = pool.acquire();
        assertThat(second.producer()).isEqualTo(new Started(0, 1));
        assertThat(starts).hasValue(1);
    }

    @Test
    void whenEverySlotStaysBusyTheCallerIsToldToComeBack() {
        ProducerPool<Started> pool = pool(2);
        ProducerPool.Slot<Started> a = pool.acquire();
        pool.acquire();
        assertThat(a.producer().slot()).isZero();
        assertThatThrownBy(pool::acquire)
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("all 2 test producers stayed busy");
        pool.release(a);
        assertThat(pool.acquire().producer()).isEqualTo(a.producer());
    }

    @Test
    void producersThatFailToStartNeverUseThePoolUp() {
        AtomicInteger failuresLeft = new AtomicInteger(5);
        ProducerPool<Started> pool = new ProducerPool<>(
                1,
                Duration.ofMillis(50),
                "test producers",
                index -> {
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new IllegalStateException("broker unreachable");
                    }
                    return new Started(index, starts.incrementAndGet());
                },
                closed::add);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(pool::acquire).hasMessage("broker unreachable");
        }
        assertThat(pool.acquire().producer()).isEqualTo(new Started(0, 1));
    }

    @Test
    void aDiscardedProducerIsClosedAndItsSlotStartsAFreshOne() {
        ProducerPool<Started> pool = pool(1);
        ProducerPool.Slot<Started> failed = pool.acquire();
        pool.discard(failed);
        assertThat(closed).containsExactly(new Started(0, 1));
        assertThat(pool.acquire().producer()).isEqualTo(new Started(0, 2));
    }

    @Test
    void closingClosesTheStartedProducersOfFreeSlots() {
        ProducerPool<Started> pool = pool(3);
        ProducerPool.Slot<Started> a = pool.acquire();
        ProducerPool.Slot<Started> b = pool.acquire();
        pool.release(a);
        pool.release(b);
        List<Started> closedAtShutdown = new ArrayList<>();
        pool.closeAll(closedAtShutdown::add);
        assertThat(closedAtShutdown).containsExactlyInAnyOrder(new Started(0, 1), new Started(1, 2));
        assertThat(closed).isEmpty();
    }
}
