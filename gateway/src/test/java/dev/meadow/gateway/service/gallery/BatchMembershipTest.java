package dev.meadow.gateway.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meadow.gateway.service.gallery.BatchMembership.Kind;
import org.junit.jupiter.api.Test;

class BatchMembershipTest {

    @Test
    void aJobOfItsBatchWithinTheTotalBelongs() {
        assertThat(BatchMembership.of("b1-000000", "b1", 0, 2).kind()).isEqualTo(Kind.MEMBER);
        assertThat(BatchMembership.of("b1-000001", "b1", 1, 2).kind()).isEqualTo(Kind.MEMBER);
    }

    @Test
    void anIndexAtOrPastTheTotalIsRefusedWithTheNumbers() {
        BatchMembership.Verdict verdict = BatchMembership.of("b1-000002", "b1", 2, 2);
        assertThat(verdict.kind()).isEqualTo(Kind.REFUSED);
        assertThat(verdict.reason()).contains("index 2", "total 2");
    }

    @Test
    void aJobIdThatIsNotItsBatchAndIndexIsRefused() {
        // Another id for the same slot would count the slot twice.
        assertThat(BatchMembership.of("b1-000000-again", "b1", 0, 2).kind()).isEqualTo(Kind.REFUSED);
        assertThat(BatchMembership.of("b2-000000", "b1", 0, 2).kind()).isEqualTo(Kind.REFUSED);
        assertThat(BatchMembership.of("b1--00001", "b1", -1, 2).kind()).isEqualTo(Kind.REFUSED);
    }

    @Test
    void aBatchNotYetReadIsUnknownNotRefused() {
        assertThat(BatchMembership.of("b9-000003", "b9", 3, null).kind()).isEqualTo(Kind.UNKNOWN_BATCH);
    }
}
