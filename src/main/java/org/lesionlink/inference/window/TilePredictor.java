package org.lesionlink.inference.window;

/**
 * Runs a network on a fixed-shape batch of tiles: floats in, logits out. The shape never changes, so
 * engines that specialise on the input shape (TorchScript's profiling executor, cuDNN algorithm choice)
 * warm up once.
 *
 * <p>Layout: a batch holds {@link #batchSize()} tiles; each tile holds {@link #inputChannels()} channels of
 * {@code tileShape[0] * tileShape[1] * tileShape[2]} floats in index order {@code i + ti * (j + tj * k)}
 * (i fastest, as in a {@link org.lesionlink.image.Volume}); in tensor terms the batch is
 * {@code (N, C, k, j, i)} in C order. The output has the same layout with {@link #outputChannels()}
 * channels per tile.
 *
 * <p>{@link SlidingWindow} calls {@link #predict} from several threads at once only when configured with
 * more than one thread; implementations meant for that must say they are thread-safe.
 */
public interface TilePredictor extends AutoCloseable {

    /** Tile size along voxel axes i, j, k. */
    int[] tileShape();

    int inputChannels();

    int outputChannels();

    int batchSize();

    /**
     * @param batch {@code batchSize * inputChannels * tileVoxels} floats, not modified
     * @return {@code batchSize * outputChannels * tileVoxels} logits (a new array owned by the caller)
     */
    float[] predict(float[] batch);

    /** Releases what the predictor holds (native memory, model weights); the default does nothing. */
    @Override
    default void close() {}

    /** Voxels per tile per channel. */
    default int tileVoxels() {
        int[] t = tileShape();
        return t[0] * t[1] * t[2];
    }
}
