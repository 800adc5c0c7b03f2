package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scheduling beyond priority order (JobQueueTest): a backlog of PACS studies never fills the queue (a share
 * stays free for interventional jobs), and a finished job's report pages never delay the next job.
 */
@Timeout(30)
class JobQueueSchedulingTest {

    private static Job job(String id, Job.Source s) {
        return new Job(id, s, "m", Map.of(), List.of(), "out", j -> { });
    }

    @Test
    void pacsJobsLeaveRoomForInterventionalJobs() throws Exception {
        assertEquals(1, JobQueue.pacsLimit(1));
        assertEquals(3, JobQueue.pacsLimit(4));
        assertEquals(12, JobQueue.pacsLimit(16));
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Metrics metrics = new Metrics();
        JobQueue q = new JobQueue(4, 1, 100, (job, worker) -> {
            started.countDown();
            gate.await();
            job.done(null, Map.of());
        }, metrics);
        try {
            q.submit(job("running", Job.Source.DICOM));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            for (int i = 1; i <= 3; i++) {
                q.submit(job("pacs-" + i, Job.Source.DICOM));
            }
            QueueFullException pacs = assertThrows(QueueFullException.class, () -> q.submit(job("pacs-4", Job.Source.DICOM)));
            assertTrue(pacs.getMessage().contains("PACS share"), pacs.getMessage());
            q.submit(job("igtl-1", Job.Source.IGTL)); // the reserved slot
            assertEquals(4, q.depth());
            assertThrows(QueueFullException.class, () -> q.submit(job("igtl-2", Job.Source.IGTL)));
            assertTrue(metrics.render(q, () -> 0).contains("lesionlink_jobs_rejected_total{source=\"dicom\"} 1"));
        } finally {
            gate.countDown();
            q.shutdown(10_000);
        }
    }

    @Test
    void reportPagesDoNotHoldTheWorker() throws Exception {
        CountDownLatch pagesMayFinish = new CountDownLatch(1);
        CountDownLatch pagesStarted = new CountDownLatch(1);
        List<String> done = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobQueue q = new JobQueue(4, 1, 100, new JobQueue.Runner() {
            @Override
            public void run(Job job, int worker) {
                job.done(null, Map.of());
            }

            @Override
            public void publish(Job job) throws Exception {
                pagesStarted.countDown();
                pagesMayFinish.await();
            }
        }, new Metrics());
        try {
            q.submit(new Job("first", Job.Source.IGTL, "m", Map.of(), List.of(), "out", j -> done.add(j.id())));
            assertTrue(pagesStarted.await(5, TimeUnit.SECONDS));
            q.submit(new Job("second", Job.Source.IGTL, "m", Map.of(), List.of(), "out", j -> done.add(j.id())));
            long deadline = System.currentTimeMillis() + 5_000;
            while (!done.contains("second")) {
                assertTrue(System.currentTimeMillis() < deadline, "the second job waits for the first one's pages: " + done);
                Thread.sleep(10);
            }
            assertEquals(1, pagesMayFinish.getCount(), "the first job's pages are still being written");
        } finally {
            pagesMayFinish.countDown();
            assertTrue(q.shutdown(10_000).isEmpty());
        }
    }
}
