package org.lesionlink.training;

import java.io.PrintStream;
import java.util.Locale;

/** One line on stderr, redrawn per iteration: fold, epoch, a bar, the running loss and the ETA of the epoch. */
final class ProgressBar {

    private static final int WIDTH = 24;

    private final PrintStream out;
    private long start;
    private int total;
    private String prefix;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    void begin(String prefix, int total) {
        this.prefix = prefix;
        this.total = total;
        this.start = System.nanoTime();
    }

    void update(int done, double meanLoss) {
        if (out == null) {
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = done == 0 ? 0 : elapsed / done * (total - done);
        int filled = (int) Math.round((double) WIDTH * done / total);
        out.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d loss %.4f ETA %s ", prefix, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, meanLoss, time(eta)));
        out.flush();
    }

    void end(String summary) {
        if (out != null) {
            out.print("\r" + summary + " ".repeat(20) + System.lineSeparator());
            out.flush();
        }
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
