package dev.sonde.check;

/**
 * A sentence-embedding model for {@code similar}, found with {@link java.util.ServiceLoader}. The
 * default build has none; the {@code embeddings} Maven profile adds langchain4j's bundled
 * all-MiniLM-L6-v2 (quantized) model, which runs in-process with nothing downloaded. Thread-safe.
 */
public interface Embedder {

    /** The model's name, for reasons, e.g. {@code all-MiniLM-L6-v2-q}. */
    String model();

    /** The embedding of {@code text} (any length; the model may truncate long text). */
    float[] embed(String text);
}
