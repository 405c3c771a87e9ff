package dev.meadow.model.tf;

import org.tensorflow.proto.ConfigProto;

/** Session settings shared by training and inference. */
public final class TfConfig {

    private TfConfig() {
    }

    /** {@code threads} for the work inside each op (0: one per core), ops themselves one after another. */
    public static ConfigProto threads(int threads) {
        int intra = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intra)
                .setInterOpParallelismThreads(1)
                .setAllowSoftPlacement(true)
                .build();
    }
}
