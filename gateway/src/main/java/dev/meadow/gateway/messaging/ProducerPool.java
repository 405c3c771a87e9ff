package dev.meadow.gateway.messaging;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import dev.meadow.gateway.service.errors.ServiceUnavailableException;

/**
 * A fixed number of slots, each holding a producer started on first use. A producer that failed is closed and its
 * slot returned empty, so that the next user starts a fresh one: a broker outage never uses the pool up.
 *
 * @param <P> the pooled producer
 */
final class ProducerPool<P> {

    private final String what;
    private final Duration waitLimit;
    private final IntFunction<P> start;
    private final Consumer<P> close;
    private final BlockingQueue<Slot<P>> free;
    private final int size;

    /**
     * @param what what the slots hold, for the message when all stay busy
     * @param start starts the producer of a slot, given its index (which names e.g. its transactional id)
     * @param close closes a producer that failed
     */
    ProducerPool(int size, Duration waitLimit, String what, IntFunction<P> start, Consumer<P> close) {
        this.size = size;
        this.what = what;
        this.waitLimit = waitLimit;
        this.start = start;
        this.close = close;
        this.free = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            free.add(new Slot<>(i));
        }
    }

    /** One slot in use; give it back with {@link #release} or, after a failure, {@link #discard}. */
    static final class Slot<P> {
        private final int index;
        private P producer;

        private Slot(int index) {
            this.index = index;
        }

        P producer() {
            return producer;
        }
    }

    /**
     * Takes a free slot, starting its producer if it has none.
     *
     * @throws ServiceUnavailableException when every slot stays busy for the wait limit
     * @throws RuntimeException what starting a producer threw; the slot is free again, empty
     */
    Slot<P> acquire() {
        Slot<P> slot = take();
        if (slot.producer == null) {
            try {
                slot.producer = start.apply(slot.index);
            } catch (RuntimeException e) {
                free.add(slot);
                throw e;
            }
        }
        return slot;
    }

    /** Gives a slot back with its producer, for the next user. */
    void release(Slot<P> slot) {
        free.add(slot);
    }

    /** Closes a slot's failed producer and gives the slot back empty. */
    void discard(Slot<P> slot) {
        P producer = slot.producer;
        slot.producer = null;
        try {
            if (producer != null) {
                close.accept(producer);
            }
        } finally {
            free.add(slot);
        }
    }

    /** Closes the producers of the free slots with {@code closer}; a slot in use is closed by who discards it. */
    void closeAll(Consumer<P> closer) {
        Slot<P> slot;
        while ((slot = free.poll()) != null) {
            if (slot.producer != null) {
                closer.accept(slot.producer);
            }
        }
    }

    private Slot<P> take() {
        try {
            Slot<P> slot = free.poll(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
            if (slot == null) {
                throw new ServiceUnavailableException("all " + size + " " + what + " stayed busy for "
                        + waitLimit.toSeconds() + " s; try again shortly");
            }
            return slot;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted while waiting for one of the " + what);
        }
    }
}
