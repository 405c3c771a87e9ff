package dev.meadow.model.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;

class PrecisionTest {

    static final Set<String> ZEN5 = CpuFlags.parse(
            "processor\t: 0\nvmx flags\t: ept\nflags\t\t: fpu sse avx2 avx512f avx512_bf16 avx512_vnni\nbogomips\t: 4192\n");
    static final Set<String> SAPPHIRE_RAPIDS = CpuFlags.parse("flags\t\t: avx2 avx512f amx_bf16 amx_tile\n");
    static final Set<String> AVX2_ONLY = CpuFlags.parse("processor\t: 0\nflags\t\t: fpu sse avx2 fma\n");

    @Test
    void autoIsBf16OnlyWhereTheCpuComputesItAndOneDnnIsOn() {
        assertThat(Precision.AUTO.resolve(ZEN5, true)).isEqualTo(Precision.BF16);
        assertThat(Precision.AUTO.resolve(SAPPHIRE_RAPIDS, true)).isEqualTo(Precision.BF16);
        assertThat(Precision.AUTO.resolve(AVX2_ONLY, true)).isEqualTo(Precision.FP32);
        assertThat(Precision.AUTO.resolve(ZEN5, false)).isEqualTo(Precision.FP32);
        assertThat(Precision.AUTO.resolve(Set.of(), true)).isEqualTo(Precision.FP32);
        // A flag whose name merely contains bf16 is not one.
        assertThat(Precision.AUTO.resolve(CpuFlags.parse("flags\t: avx512_bf16x\n"), true))
                .isEqualTo(Precision.FP32);
    }

    @Test
    void bf16IsWhatIsAskedWhereOneDnnCanRunItAndFp32AlwaysStands() {
        assertThat(Precision.BF16.resolve(AVX2_ONLY, true)).isEqualTo(Precision.BF16);
        assertThat(Precision.BF16.resolve(ZEN5, false)).isEqualTo(Precision.FP32);
        assertThat(Precision.FP32.resolve(ZEN5, true)).isEqualTo(Precision.FP32);
    }

    @Test
    void oneDnnIsReadAsTensorFlowReadsIt() {
        assertThat(TfConfig.oneDnnOn("0", ZEN5)).isFalse();
        assertThat(TfConfig.oneDnnOn(" FALSE ", ZEN5)).isFalse();
        assertThat(TfConfig.oneDnnOn("1", AVX2_ONLY)).isTrue();
        assertThat(TfConfig.oneDnnOn("true", AVX2_ONLY)).isTrue();
        // Unset, or a value TensorFlow does not take ("off"): its default, on only with VNNI, BF16 or AMX.
        assertThat(TfConfig.oneDnnOn(null, AVX2_ONLY)).isFalse();
        assertThat(TfConfig.oneDnnOn("off", AVX2_ONLY)).isFalse();
        assertThat(TfConfig.oneDnnOn("off", ZEN5)).isTrue();
        assertThat(TfConfig.oneDnnOn(null, SAPPHIRE_RAPIDS)).isTrue();
    }

    @Test
    void parsingTakesAnyCaseAndExplainsItsChoices() {
        assertThat(Precision.parse(" BF16 ")).isEqualTo(Precision.BF16);
        assertThat(Precision.parse("auto")).isEqualTo(Precision.AUTO).hasToString("auto");
        assertThatThrownBy(() -> Precision.parse("fp16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown precision 'fp16': use fp32, bf16 or auto");
    }
}
