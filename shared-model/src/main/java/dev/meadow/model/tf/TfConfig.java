package dev.meadow.model.tf;

import org.tensorflow.proto.ConfigProto;

/** Session settings shared by training and inference. */
public final class TfConfig {

    private TfConfig() {}

    /**
     * {@code threads} for the work inside each op (0: one per core), ops themselves one after another. The pools
     * are the session's own: TensorFlow otherwise sizes one process-wide pool from whichever session came first.
     * Idle threads sleep rather than spin: on a machine shared with the broker, the store and the other services,
     * spinning burns the CPU they need (the bare decoder measured 465-474 images/s spinning, 521 not).
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
}
