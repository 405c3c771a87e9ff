package dev.meadow.model.tf;

import java.util.Locale;
import java.util.Set;

/** The arithmetic a model runs its matrix products and convolutions in. */
public enum Precision {
    /** fp32 throughout: the reference every other precision is measured against. */
    FP32,
    /**
     * bf16 inputs with fp32 accumulation in oneDNN's matrix products and convolutions, where TensorFlow's
     * mixed-precision pass places them; fp32 elsewhere. The shipped decoder draws the same pictures within 62 dB PSNR,
     * 54 dB for the worst of 1,000 images (docs/performance.md). Without native bf16 instructions oneDNN emulates it,
     * slower than fp32.
     */
    BF16,
    /** {@link #BF16} where the CPU has native bf16 instructions and oneDNN is on, else {@link #FP32}. */
    AUTO;

    private static final Set<String> BF16_FLAGS = Set.of("avx512_bf16", "amx_bf16");

    /**
     * What runs on this machine: {@link #AUTO} is {@link #BF16} where the CPU has native bf16 and oneDNN is on;
     * bf16 is {@link #FP32} where oneDNN is off, since TensorFlow's bf16 pass is oneDNN's.
     */
    public Precision resolve() {
        return resolve(CpuFlags.read(), TfConfig.oneDnnOn());
    }

    Precision resolve(Set<String> cpuFlags, boolean oneDnn) {
        if (this == FP32 || !oneDnn) {
            return FP32;
        }
        return this == BF16 || cpuFlags.stream().anyMatch(BF16_FLAGS::contains) ? BF16 : FP32;
    }

    /** Parses {@code fp32}, {@code bf16} or {@code auto}, in any case. */
    public static Precision parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown precision '" + text + "': use fp32, bf16 or auto", e);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
