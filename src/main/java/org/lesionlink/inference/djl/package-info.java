/**
 * The inference side's DJL package: loading a model package's folds as TorchScript (PyTorch engine), ONNX
 * (OnnxRuntime engine) or, for {@code engine: "djl"} packages written by {@code lesionlink train}, DJL
 * {@code .params} loaded into the network rebuilt from the descriptor
 * ({@link org.lesionlink.inference.djl.DjlBlockTilePredictor}); choosing the device ({@link org.lesionlink.inference.djl.DeviceChoice}), and
 * running fixed-shape tile batches ({@link org.lesionlink.inference.djl.DjlTilePredictor}: warm-up once,
 * one DJL predictor per worker thread, one {@code NDManager} sub-manager per call).
 *
 * <p>Settings that matter (system properties, before the engine starts): {@code ai.djl.offline=true}
 * (set by the CLI and the tests); {@code ai.djl.pytorch.cudnn_benchmark} (true),
 * {@code ai.djl.pytorch.num_threads} (1, or {@code lesionlink.intra_op_threads}) and
 * {@code ai.djl.pytorch.num_interop_threads} (1), each set by
 * {@link org.lesionlink.inference.djl.DjlModel#open} unless given; OnnxRuntime sessions get the same
 * intra-op thread count. Why one thread: {@link org.lesionlink.inference.djl.DjlModel#applyEngineDefaults}.
 */
package org.lesionlink.inference.djl;
