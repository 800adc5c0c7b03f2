package org.lesionlink.inference.djl;

import org.lesionlink.inference.window.TilePredictor;

/** A fold's predictor as {@link DjlModel} holds it: with its memory and device for diagnostics. */
interface LoadedFold extends TilePredictor {

    /** NDArrays alive in the fold's managers (constant between calls when nothing leaks). */
    int liveArrays();

    /** The device it runs on, e.g. {@code cpu()}. */
    String device();
}
