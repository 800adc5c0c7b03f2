package org.lesionlink.training.nets;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * Builds networks from their description (a name and hyper-parameters, as stored in a model package's
 * {@code architecture}) and back: the single place that knows which architectures exist.
 */
public final class Networks {

    public static final String SEGRESNET = "segresnet";
    public static final String UNET = "unet";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private Networks() {}

    /** A built (not yet initialised) network with what the trainer and the predictor need to know about it. */
    public record Network(String name, Object config, Block block, int divisor) {
        /** The hyper-parameters as plain JSON values (for {@code model.json}). */
        public Map<String, Object> parameters() {
            return JSON.convertValue(config, new TypeReference<Map<String, Object>>() {});
        }

        /**
         * Initialises the parameters for input tensors of {@code shape} (N, C, D, H, W) with
         * {@link HeInitializer} weights from {@code seed}; biases 0, norm scales 1, shifts 0.
         */
        public void initialize(NDManager manager, Shape shape, long seed) {
            block.setInitializer(new HeInitializer(seed, 1e-2), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, shape);
        }
    }

    /**
     * @param name {@code segresnet} or {@code unet}
     * @param parameters the config record's fields; missing ones take the record's defaults where it has them
     */
    public static Network build(String name, Map<String, Object> parameters, int outChannels) {
        try {
            return switch (name) {
                case SEGRESNET -> segResNet(JSON.convertValue(parameters, SegResNet.Config.class), outChannels);
                case UNET -> unet(JSON.convertValue(parameters, UNet.Config.class), outChannels);
                default -> throw new IllegalArgumentException("unknown architecture '" + name + "' (expected "
                        + SEGRESNET + " or " + UNET + ")");
            };
        } catch (IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() instanceof IllegalArgumentException c) {
                root = c;
            }
            throw new IllegalArgumentException("architecture " + name + ": " + root.getMessage(), e);
        }
    }

    public static Network segResNet(SegResNet.Config config, int outChannels) {
        SegResNet net = new SegResNet(config, outChannels);
        return new Network(SEGRESNET, config, net, net.divisor());
    }

    public static Network unet(UNet.Config config, int outChannels) {
        UNet net = new UNet(config, outChannels);
        return new Network(UNET, config, net, net.divisor());
    }
}
