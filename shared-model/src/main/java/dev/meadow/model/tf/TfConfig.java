package dev.meadow.model.tf;

import java.util.Locale;
import java.util.Set;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/** Session settings shared by training and inference. */
public final class TfConfig {

    /** TensorFlow reads it once, when it loads: {@code 1} or {@code true} on, {@code 0} or {@code false} off. */
    public static final String ONEDNN_VARIABLE = "TF_ENABLE_ONEDNN_OPTS";

    private static final Set<String> ONEDNN_DEFAULT_FLAGS = Set.of("avx512_vnni", "avx512_bf16", "amx_tile");

    private TfConfig() {}

    /** Whether this process's TensorFlow runs oneDNN's kernels. */
    public static boolean oneDnnOn() {
        return oneDnnOn(System.getenv(ONEDNN_VARIABLE), CpuFlags.read());
    }

    /**
     * {@code setting} as TensorFlow reads it; unset or unreadable, TensorFlow's default: on only on CPUs with
     * AVX-512 VNNI, BF16 or AMX.
     */
    static boolean oneDnnOn(String setting, Set<String> cpuFlags) {
        String value = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        if (value.equals("0") || value.equals("false")) {
            return false;
        }
        if (value.equals("1") || value.equals("true")) {
            return true;
        }
        return cpuFlags.stream().anyMatch(ONEDNN_DEFAULT_FLAGS::contains);
    }

    /**
     * {@code threads} for the work inside each op (0: one per core), ops themselves one after another. The
     * inter-op pool is the session's own; the intra-op pool that oneDNN and Eigen kernels run on is process-wide and
     * sized by the first session a process opens, so a process should open its sessions with one thread count (a
     * one-thread session opened first held later two-thread sessions to one thread's speed). Idle threads sleep
     * rather than spin: on a machine shared with the broker, the store and the other services, spinning burns the
     * CPU they need (the bare decoder measured 465-474 images/s spinning, 521 not).
     */
    public static ConfigProto threads(int threads) {
        int intra = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intra)
                .setInterOpParallelismThreads(1)
                .setUsePerSessionThreads(true)
                .setAllowSoftPlacement(true)
                .setExperimental(ConfigProto.Experimental.newBuilder().setDisableThreadSpinning(true))
                .build();
    }

    /**
     * {@link #threads} for inference in {@code precision} ({@link Precision#AUTO} resolved here): bf16 turns on
     * TensorFlow's oneDNN mixed-precision pass, which runs matrix products and convolutions on bf16 inputs.
     */
    public static ConfigProto inference(int threads, Precision precision) {
        ConfigProto config = threads(threads);
        if (precision.resolve() != Precision.BF16) {
            return config;
        }
        return config.toBuilder()
                .setGraphOptions(GraphOptions.newBuilder()
                        .setRewriteOptions(RewriterConfig.newBuilder()
                                .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)))
                .build();
    }
}
