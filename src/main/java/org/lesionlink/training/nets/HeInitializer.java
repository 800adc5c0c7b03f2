package org.lesionlink.training.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * He (Kaiming) normal initialisation drawn from a seeded Java generator, so that the initial weights depend
 * only on the seed and the order in which parameters are initialised (fixed by the network's structure),
 * not on the engine's random state or the device. Standard deviation {@code sqrt(2 / ((1 + a^2) fanIn))}
 * with {@code fanIn = shape[1] * prod(shape[2..])} and negative slope {@code a} (nnU-Net's
 * {@code InitWeights_He(1e-2)}).
 */
public final class HeInitializer implements Initializer {

    private final SplittableRandom random;
    private final double slope;

    public HeInitializer(long seed, double slope) {
        this.random = new SplittableRandom(seed);
        this.slope = slope;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long fanIn = 1;
        for (int d = 1; d < shape.dimension(); d++) {
            fanIn *= shape.get(d);
        }
        double std = Math.sqrt(2.0 / ((1 + slope * slope) * Math.max(fanIn, 1)));
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
