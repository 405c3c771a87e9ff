package dev.meadow.generator.service;

import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.prior.Prior;

/**
 * A decoder as this service serves it: loaded together with the prior its card names, when it names one, so that
 * a swap of the active model replaces both at once and no picture is drawn by one pair's decoder through
 * another's prior. Closing it closes both.
 */
final class ServedDecoder implements AutoCloseable {

    private final Decoder decoder;
    private final Prior prior;
    private final Decoder drawing;

    private ServedDecoder(Decoder decoder, Prior prior) {
        this.decoder = decoder;
        this.prior = prior;
        this.drawing = prior == null ? decoder : decoder.withPrior(prior);
    }

    static ServedDecoder alone(Decoder decoder) {
        return new ServedDecoder(decoder, null);
    }

    /**
     * @throws dev.meadow.model.InvalidModelException when the prior does not fit the decoder (the caller closes
     *     both)
     */
    static ServedDecoder withPrior(Decoder decoder, Prior prior) {
        return new ServedDecoder(decoder, prior);
    }

    /** The decoder that draws, through the prior where there is one. */
    Decoder drawing() {
        return drawing;
    }

    String modelId() {
        return decoder.card().modelId();
    }

    @Override
    public void close() {
        if (drawing != decoder) {
            drawing.close();
        }
        decoder.close();
        if (prior != null) {
            prior.close();
        }
    }
}
