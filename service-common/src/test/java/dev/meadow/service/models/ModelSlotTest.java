package dev.meadow.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class ModelSlotTest {

    @Test
    void workPinnedToAVersionRunsWithThatVersionEvenWhenASwapLandsBetweenCheckAndUse() {
        ModelSlot<FakeModel> slot = new ModelSlot<>();
        FakeModel v1 = new FakeModel("v1");
        FakeModel v2 = new FakeModel("v2");
        slot.swap(v1);
        AtomicBoolean swapped = new AtomicBoolean();
        // The swap happens right after the check, as a background loader's would.
        var served = slot.useIf(
                model -> {
                    boolean wanted = model.id.equals("v1");
                    if (swapped.compareAndSet(false, true)) {
                        slot.swap(v2);
                    }
                    return wanted;
                },
                model -> model.id + (model.closed ? " (closed)" : ""));
        assertThat(served).contains("v1");
        assertThat(v1.closed).as("closed once its last user is done").isTrue();
        assertThat(slot.useIf(model -> model.id.equals("v1"), model -> model.id))
                .isEmpty();
        assertThat(slot.useIf(model -> model.id.equals("v2"), model -> model.id))
                .contains("v2");
        assertThat(v2.closed).isFalse();
    }

    @Test
    void anEmptySlotServesNothing() {
        ModelSlot<FakeModel> slot = new ModelSlot<>();
        assertThat(slot.useIf(model -> true, model -> model.id)).isEmpty();
        assertThat(slot.use(model -> model.id)).isEmpty();
    }
}
