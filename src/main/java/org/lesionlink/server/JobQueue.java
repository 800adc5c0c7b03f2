package org.lesionlink.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded priority queue of {@link Job}s and the small pool of workers that runs them. Interventional
 * (OpenIGTLink) jobs go before PACS jobs; within a priority, first come first served. A full queue refuses
 * the job ({@link QueueFullException}); nothing is dropped. PACS jobs may fill the queue only up to
 * {@link #pacsLimit}: the rest is kept for interventional jobs, so a backlog of studies never refuses a
 * patient on the table (a refused PACS study is retried by the DICOM flow). A running job is not
 * interrupted: with one worker an interventional job waits for the PACS job in progress. Finished jobs stay listed (the newest
 * {@code history} of them) for {@code /jobs} and {@code GetJob}.
 */
public final class JobQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

    /** What a worker does with a job; {@code worker} is the worker's index (its own resident models). */
    public interface Runner {
        void run(Job job, int worker) throws Exception;

        /**
         * After the job's results went out ({@code onFinish}): work that must not delay them, such as
         * writing the report pages. Runs on one publishing thread, off the workers, so it delays neither
         * these results nor the next job (back to back, a page with many lesions took seconds of the next
         * job's latency when it ran on the worker); a failure is logged.
         */
        default void publish(Job job) throws Exception {
        }
    }

    private record Entry(Job job, long seq) {}

    private final int capacity;
    private final int history;
    private final Runner runner;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(
            Comparator.<Entry>comparingInt(e -> e.job().source().priority).thenComparingLong(Entry::seq));
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lesionlink-publish");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong seq = new AtomicLong();
    private final Metrics metrics;
    private int running;
    private boolean closed;

    public JobQueue(int capacity, int workerCount, int history, Runner runner, Metrics metrics) {
        this.capacity = capacity;
        this.history = history;
        this.runner = runner;
        this.metrics = metrics;
        for (int w = 0; w < workerCount; w++) {
            int index = w;
            Thread t = new Thread(() -> work(index), "lesionlink-worker-" + w);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Queues a job; refused when the queue holds {@code capacity} jobs or the server is shutting down. */
    public synchronized void submit(Job job) throws QueueFullException {
        if (closed) {
            throw new QueueFullException("server is shutting down");
        }
        if (queue.size() >= capacity) {
            metrics.rejected(job.source());
            throw new QueueFullException("job queue full (" + capacity + " waiting); try again later");
        }
        if (job.source() != Job.Source.IGTL
                && queue.stream().filter(e -> e.job().source() != Job.Source.IGTL).count() >= pacsLimit(capacity)) {
            metrics.rejected(job.source());
            throw new QueueFullException("PACS share of the job queue full (" + pacsLimit(capacity)
                    + " waiting; the rest is kept for interventional jobs); try again later");
        }
        queue.add(new Entry(job, seq.incrementAndGet()));
        jobs.put(job.id(), job);
        while (jobs.size() > history) {
            String oldest = null;
            for (Job j : jobs.values()) {
                if (j.state() == Job.State.DONE || j.state() == Job.State.FAILED) {
                    oldest = j.id();
                    break;
                }
            }
            if (oldest == null) {
                break;
            }
            jobs.remove(oldest);
        }
        notifyAll();
    }

    /** PACS jobs queued at most: a quarter of the capacity (at least one slot) stays for interventional jobs. */
    static int pacsLimit(int capacity) {
        return capacity <= 1 ? capacity : capacity - Math.max(1, capacity / 4);
    }

    public synchronized Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public synchronized List<Job> jobs() {
        return new ArrayList<>(jobs.values());
    }

    public synchronized int depth() {
        return queue.size();
    }

    public synchronized int runningCount() {
        return running;
    }

    private void work(int index) {
        while (true) {
            Job job;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
                job = queue.poll().job();
                running++;
            }
            try {
                job.timing("queued", (System.nanoTime() - job.submittedNanos) / 1_000_000);
                job.running();
                runner.run(job, index);
            } catch (Throwable e) {
                if (job.state() != Job.State.FAILED) {
                    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    log.warn("job {} failed: {}", job.id(), msg, e);
                    job.failed(msg);
                }
            } finally {
                if (job.state() == Job.State.RUNNING) {
                    job.failed("worker ended without a result");
                }
                metrics.finished(job);
                try {
                    if (job.onFinish != null) {
                        job.onFinish.accept(job);
                    }
                } catch (RuntimeException e) {
                    log.warn("job {}: sending results failed: {}", job.id(), e.toString());
                }
                try {
                    if (job.state() == Job.State.DONE) {
                        publisher.execute(() -> {
                            try {
                                runner.publish(job);
                            } catch (Exception e) {
                                log.warn("job {}: writing the report pages failed: {}", job.id(), e.toString());
                            } finally {
                                job.release();
                            }
                        });
                    } else {
                        job.release();
                    }
                } catch (RejectedExecutionException e) { // only after shutdown's wait ran out
                    log.warn("job {}: report pages not written: shutting down", job.id());
                    job.release();
                } finally {
                    synchronized (this) {
                        running--;
                        notifyAll();
                    }
                }
            }
        }
    }

    /**
     * Stops accepting jobs, lets the workers finish the running ones and waits up to {@code timeoutMs};
     * jobs still queued are returned (not run), for the caller to fail or persist.
     */
    public Collection<Job> shutdown(long timeoutMs) {
        List<Job> left = new ArrayList<>();
        synchronized (this) {
            closed = true;
            while (!queue.isEmpty()) {
                left.add(queue.poll().job());
            }
            notifyAll();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (Thread t : workers) {
            long left0 = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left0 > 0) {
                try {
                    t.join(left0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // The finished jobs' pages, within what is left of the same wait.
        publisher.shutdown();
        try {
            publisher.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return left;
    }

    @Override
    public void close() {
        shutdown(30_000);
    }
}
