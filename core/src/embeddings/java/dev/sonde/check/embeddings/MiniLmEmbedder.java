package dev.sonde.check.embeddings;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.sonde.check.Embedder;

/**
 * The {@code embeddings} profile's {@link Embedder}: all-MiniLM-L6-v2 (quantized), bundled in
 * langchain4j's jar and run in-process with ONNX Runtime — nothing is downloaded. 384-dimension
 * vectors; input beyond the model's 256 word pieces is split and averaged by langchain4j. The model
 * loads when this class is made (once per process, by {@link java.util.ServiceLoader}). Thread-safe:
 * one ONNX session serves concurrent calls.
 */
public final class MiniLmEmbedder implements Embedder {
    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    @Override
    public String model() {
        return "all-MiniLM-L6-v2-q";
    }

    @Override
    public float[] embed(String text) {
        return model.embed(text).content().vector();
    }
}
