package org.lesionlink.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.lesionlink.training.optim.StatefulOptimizer;

/**
 * A fold's training state after a whole epoch, in one file: header (magic, format version, fold, the next
 * epoch to run, seed, architecture and loss names, the initialisation: {@code scratch} or
 * {@code fine-tune:<sha256 of the pretrained weights>}), then the network's DJL parameters, then the optimizer
 * state (moment buffers, step count, learning rate).
 *
 * <p><b>RNG state.</b> Every random draw of training comes from a generator seeded with
 * {@code (seed, fold, epoch, iteration)} (see {@link Trainer}), so {@code seed} and the next epoch are the
 * complete random state: a resumed run draws exactly the patches and augmentations the uninterrupted run
 * would have.
 *
 * <p>Written to a temporary file and moved into place, so a crash never leaves a half checkpoint.
 */
record Checkpoint(int fold, int nextEpoch, long seed, String architecture, String loss, String init) {

    private static final int MAGIC = 0x4c4c434b; // "LLCK"
    /** Version 2 added {@code init}; version 1 files were all trained from scratch. */
    private static final int VERSION = 2;

    static final String SCRATCH = "scratch";

    void save(Path file, Block block, StatefulOptimizer optimizer) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp)); DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(fold);
            out.writeInt(nextEpoch);
            out.writeLong(seed);
            out.writeUTF(architecture);
            out.writeUTF(loss);
            out.writeUTF(init);
            block.saveParameters(out);
            optimizer.saveState(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads the header and loads parameters into {@code block} (which must not be initialised yet) and the
     * optimizer state; checks that the checkpoint belongs to this run.
     */
    static Checkpoint load(Path file, Block block, NDManager manager, StatefulOptimizer optimizer, Checkpoint expected)
            throws IOException {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(file)); DataInputStream in = new DataInputStream(is)) {
            int version;
            if (in.readInt() != MAGIC || (version = in.readInt()) < 1 || version > VERSION) {
                throw new IOException(file + ": not a LesionLink training checkpoint (or another format version)");
            }
            Checkpoint c = new Checkpoint(in.readInt(), in.readInt(), in.readLong(), in.readUTF(), in.readUTF(),
                    version >= 2 ? in.readUTF() : SCRATCH);
            if (c.fold != expected.fold || c.seed != expected.seed || !c.architecture.equals(expected.architecture)
                    || !c.loss.equals(expected.loss) || !c.init.equals(expected.init)) {
                throw new IOException(file + ": checkpoint of fold " + c.fold + ", seed " + c.seed + ", " + c.architecture + ", "
                        + c.loss + ", " + c.init + " cannot resume fold " + expected.fold + ", seed " + expected.seed + ", "
                        + expected.architecture + ", " + expected.loss + ", " + expected.init);
            }
            try {
                block.loadParameters(manager, in);
            } catch (MalformedModelException e) {
                throw new IOException(file + ": network parameters do not fit: " + e.getMessage(), e);
            }
            optimizer.loadState(in);
            return c;
        }
    }
}
