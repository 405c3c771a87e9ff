package dev.meadow.model.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrecisionTest {

    static final String ZEN5 =
            "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f avx512_bf16 avx512_vnni\nbogomips\t: 4192.00\n";
    static final String SAPPHIRE_RAPIDS = "flags\t\t: avx2 avx512f amx_bf16 amx_tile\n";
    static final String AVX2_ONLY = "processor\t: 0\nflags\t\t: fpu sse avx2 fma\n";

    @Test
    void autoIsBf16OnlyWhereTheCpuComputesItAndOneDnnIsOn() {
        assertThat(Precision.resolveAuto(ZEN5, "1")).isEqualTo(Precision.BF16);
        assertThat(Precision.resolveAuto(SAPPHIRE_RAPIDS, null)).isEqualTo(Precision.BF16);
        assertThat(Precision.resolveAuto(AVX2_ONLY, "1")).isEqualTo(Precision.FP32);
        assertThat(Precision.resolveAuto(ZEN5, "0")).isEqualTo(Precision.FP32);
        assertThat(Precision.resolveAuto(ZEN5, "false")).isEqualTo(Precision.FP32);
        assertThat(Precision.resolveAuto("", "1")).isEqualTo(Precision.FP32);
        // A flag name that merely contains bf16 is not one.
        assertThat(Precision.resolveAuto("flags\t: avx512_bf16x\n", "1")).isEqualTo(Precision.FP32);
    }

    @Test
    void explicitPrecisionsStandAndParsingExplainsItsChoices() {
        assertThat(Precision.FP32.resolve()).isEqualTo(Precision.FP32);
        assertThat(Precision.BF16.resolve()).isEqualTo(Precision.BF16);
        assertThat(Precision.AUTO.resolve()).isNotEqualTo(Precision.AUTO);
        assertThat(Precision.parse(" BF16 ")).isEqualTo(Precision.BF16);
        assertThat(Precision.parse("auto")).hasToString("auto");
        assertThatThrownBy(() -> Precision.parse("fp16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown precision 'fp16': use fp32, bf16 or auto");
    }
}
