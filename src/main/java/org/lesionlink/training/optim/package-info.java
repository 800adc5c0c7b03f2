/**
 * Optimisers with state a checkpoint can save ({@link org.lesionlink.training.optim.NesterovSgd},
 * {@link org.lesionlink.training.optim.AdamL2}) and nnU-Net's {@link org.lesionlink.training.optim.PolyLr}.
 */
package org.lesionlink.training.optim;
