package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meadow.contracts.LossBreakdown;
import org.junit.jupiter.api.Test;

class BestEpochTest {

    @Test
    void theAdversarialTermDoesNotChooseTheBestEpoch() {
        TrainingSettings withCritic = TrainingSettings.defaults().withAdversarialWeight(100f);
        // The same reconstructions (BCE, KL, SSIM), judged by a stronger critic: not a worse epoch.
        LossBreakdown weakCritic = new LossBreakdown(6900 + 100 * 0.7, 6850, 90, 0.4, null, null, 0.7, 1.3);
        LossBreakdown strongCritic = new LossBreakdown(6900 + 100 * 2.5, 6850, 90, 0.4, null, null, 2.5, 0.4);
        assertThat(CvaeTraining.selectionLoss(strongCritic, withCritic))
                .isEqualTo(CvaeTraining.selectionLoss(weakCritic, withCritic))
                .isEqualTo(6900.0, org.assertj.core.data.Offset.offset(1e-9));
        LossBreakdown plain = new LossBreakdown(6900, 6850, 90, 0.4);
        assertThat(CvaeTraining.selectionLoss(plain, TrainingSettings.defaults()))
                .isEqualTo(6900.0);
    }
}
