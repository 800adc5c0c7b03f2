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

/** A backlog of PACS studies never fills the queue: a share stays free for interventional jobs. */
@Timeout(30)
class JobQueueReserveTest {

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
}
