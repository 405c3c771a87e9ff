package dev.meadow.model.clip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/** A {@code tokenizer.json} read with Hugging Face's tokenizers, padding and truncating to the context length. */
public final class ClipTokenizer implements AutoCloseable {

    /** Token ids and attention mask of a batch, row-major {@code N x contextLength}. */
    public record Tokens(int count, int contextLength, long[] ids, long[] mask) {}

    private final HuggingFaceTokenizer tokenizer;
    private final int contextLength;

    public ClipTokenizer(Path tokenizerJson, int contextLength) {
        this.contextLength = contextLength;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(
                    tokenizerJson,
                    Map.of(
                            "padding", "max_length",
                            "maxLength", String.valueOf(contextLength),
                            "truncation", "true"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tokenizerJson, e);
        }
    }

    public Tokens encode(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        long[] ids = new long[texts.size() * contextLength];
        long[] mask = new long[ids.length];
        for (int i = 0; i < encodings.length; i++) {
            long[] e = encodings[i].getIds();
            long[] m = encodings[i].getAttentionMask();
            int n = Math.min(contextLength, e.length);
            System.arraycopy(e, 0, ids, i * contextLength, n);
            System.arraycopy(m, 0, mask, i * contextLength, n);
        }
        return new Tokens(texts.size(), contextLength, ids, mask);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
