package org.lesionlink.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL {@link Optimizer} whose whole state (moment buffers, step count, learning rate) is visible, so a
 * checkpoint can save it and a resumed run continues exactly; DJL's own optimizers keep theirs private.
 *
 * <p>State is keyed by the parameter's <em>name</em> in its block (e.g. {@code 03down1_01conv_weight}),
 * which is stable across runs, rather than by DJL's random parameter id. State arrays live in this
 * optimizer's own manager; temporaries of an update are closed at its end (an {@link NDScope}).
 *
 * <p>Updates are in place on the weights and must run with autograd off (DJL's default outside a
 * {@code GradientCollector}).
 */
public abstract class StatefulOptimizer extends Optimizer implements AutoCloseable {

    private final NDManager manager;
    private final Map<String, NDArray[]> state = new LinkedHashMap<>();
    private float learningRate;
    private long steps;

    protected StatefulOptimizer(OptimizerBuilder<?> builder, NDManager parent, float learningRate) {
        super(builder);
        this.manager = parent.newSubManager();
        this.learningRate = learningRate;
    }

    /** The learning rate used by the next update. */
    public float learningRate() {
        return learningRate;
    }

    public void setLearningRate(float lr) {
        this.learningRate = lr;
    }

    /** Completed {@link #step} calls. */
    public long steps() {
        return steps;
    }

    /** Number of state arrays per parameter. */
    protected abstract int slots();

    /** One update of {@code weight} (in place) given its gradient and state; called with {@link #steps()} already counting this step. */
    protected abstract void apply(NDArray weight, NDArray grad, NDArray[] state);

    /** Updates every parameter that has a gradient, in name order; counts one step. */
    public void step(PairList<String, Parameter> parameters) {
        steps++;
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (!w.hasGradient()) {
                continue;
            }
            try (NDScope scope = new NDScope()) {
                NDArray g = w.getGradient();
                update(p.getKey(), w, g);
                scope.suppressNotUsedWarning();
            }
        }
    }

    /** Sets every gradient to zero (PyTorch accumulates them across backward passes). */
    public static void zeroGradients(PairList<String, Parameter> parameters) {
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (w.hasGradient()) {
                try (NDArray g = w.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        NDArray[] s = state.get(parameterId);
        if (s == null) {
            s = new NDArray[slots()];
            for (int i = 0; i < s.length; i++) {
                s[i] = manager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
                NDScope.unregister(s[i]);
            }
            state.put(parameterId, s);
        }
        apply(weight, grad, s);
    }

    /** Writes step count, learning rate and every state array. */
    public void saveState(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        out.writeFloat(learningRate);
        out.writeInt(state.size());
        for (Map.Entry<String, NDArray[]> e : state.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (NDArray a : e.getValue()) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /** Replaces the state with what {@link #saveState} wrote. */
    public void loadState(DataInputStream in) throws IOException {
        clearState();
        steps = in.readLong();
        learningRate = in.readFloat();
        int n = in.readInt();
        for (int p = 0; p < n; p++) {
            String name = in.readUTF();
            NDArray[] s = new NDArray[in.readInt()];
            if (s.length != slots()) {
                throw new IOException("optimizer state of " + name + " has " + s.length + " slots, expected " + slots());
            }
            for (int i = 0; i < s.length; i++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                s[i] = manager.decode(bytes);
            }
            state.put(name, s);
        }
    }

    /** Arrays held as optimizer state. */
    public int stateArrays() {
        return state.size() * slots();
    }

    private void clearState() {
        for (NDArray[] s : state.values()) {
            for (NDArray a : s) {
                a.close();
            }
        }
        state.clear();
    }

    @Override
    public void close() {
        clearState();
        manager.close();
    }

    /** Builder plumbing for DJL's base class (rescale 1, no DJL-side weight decay or clipping). */
    static final class Plain extends OptimizerBuilder<Plain> {
        @Override
        protected Plain self() {
            return this;
        }
    }

}
