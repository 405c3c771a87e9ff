package dev.meadow.model.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The arithmetic a model runs its matrix products and convolutions in. */
public enum Precision {
    /** fp32 throughout: the reference every other precision is measured against. */
    FP32,
    /**
     * bf16 inputs with fp32 accumulation in oneDNN's matrix products and convolutions, where TensorFlow's
     * mixed-precision pass places them; fp32 elsewhere. The shipped decoder draws the same pictures within 62 dB PSNR (54 dB for the worst of 1,000 images)
     * (docs/performance.md). Without native bf16 instructions oneDNN emulates it, slower than fp32.
     */
    BF16,
    /** {@link #BF16} where the CPU has native bf16 instructions and oneDNN is on, else {@link #FP32}. */
    AUTO;

    private static final Pattern FLAGS_LINE = Pattern.compile("^flags\\s*:(.*)$", Pattern.MULTILINE);
    private static final Set<String> BF16_FLAGS = Set.of("avx512_bf16", "amx_bf16");

    /** What {@link #AUTO} means on this machine; the others as they are. */
    public Precision resolve() {
        return this == AUTO ? resolveAuto(cpuFlags(), System.getenv("TF_ENABLE_ONEDNN_OPTS")) : this;
    }

    /** {@code cpuInfo}: the text of {@code /proc/cpuinfo}; {@code oneDnnSetting}: TF_ENABLE_ONEDNN_OPTS or null. */
    static Precision resolveAuto(String cpuInfo, String oneDnnSetting) {
        boolean oneDnn = oneDnnSetting == null
                || !Set.of("0", "false", "off").contains(oneDnnSetting.trim().toLowerCase(Locale.ROOT));
        var flags = FLAGS_LINE.matcher(cpuInfo);
        if (!oneDnn || !flags.find()) {
            return FP32;
        }
        for (String flag : flags.group(1).trim().split("\\s+")) {
            if (BF16_FLAGS.contains(flag)) {
                return BF16;
            }
        }
        return FP32;
    }

    private static String cpuFlags() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return ""; // not Linux: no way to tell, so the reference
        }
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
