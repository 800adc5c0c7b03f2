package org.lesionlink.inference.post;

import java.util.Arrays;

/** Binary mask helpers used by preprocessing. */
public final class Masks {

    private Masks() {}

    /**
     * Fills holes: background voxels not 6-connected to the grid border become foreground, as scipy's
     * {@code binary_fill_holes} with its default structure (which nnU-Net applies to the non-zero mask
     * before cropping).
     */
    public static boolean[] fillHoles(boolean[] mask, int[] dims) {
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        int n = nx * ny * nz;
        boolean[] outside = new boolean[n];
        int[] stack = new int[1024];
        int top = 0;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    if (i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1) {
                        int v = i + nx * (j + ny * k);
                        if (!mask[v] && !outside[v]) {
                            outside[v] = true;
                            if (top == stack.length) {
                                stack = Arrays.copyOf(stack, stack.length * 2);
                            }
                            stack[top++] = v;
                        }
                    }
                }
            }
        }
        int[] step = {1, -1, nx, -nx, nx * ny, -nx * ny};
        while (top > 0) {
            int v = stack[--top];
            int i = v % nx;
            int j = (v / nx) % ny;
            int k = v / (nx * ny);
            for (int d = 0; d < 6; d++) {
                boolean ok = switch (d) {
                    case 0 -> i < nx - 1;
                    case 1 -> i > 0;
                    case 2 -> j < ny - 1;
                    case 3 -> j > 0;
                    case 4 -> k < nz - 1;
                    default -> k > 0;
                };
                if (!ok) {
                    continue;
                }
                int w = v + step[d];
                if (!mask[w] && !outside[w]) {
                    outside[w] = true;
                    if (top == stack.length) {
                        stack = Arrays.copyOf(stack, stack.length * 2);
                    }
                    stack[top++] = w;
                }
            }
        }
        boolean[] out = new boolean[n];
        for (int v = 0; v < n; v++) {
            out[v] = !outside[v];
        }
        return out;
    }
}
