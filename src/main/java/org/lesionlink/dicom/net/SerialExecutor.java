package org.lesionlink.dicom.net;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs tasks one at a time, in submission order, on a shared pool: the per-association worker. */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /**
     * The worker of an association without a pool: each task runs at once on the calling thread (the association's
     * event loop, its only caller, so they are still one at a time and in order), and a failing one is logged as
     * {@link #drain} logs it.
     */
    static Executor direct() {
        return SerialExecutor::runLogged;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable r;
            synchronized (tasks) {
                r = tasks.poll();
                if (r == null) {
                    running = false;
                    return;
                }
            }
            runLogged(r);
        }
    }

    private static void runLogged(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("association worker task failed", e);
        }
    }
}
