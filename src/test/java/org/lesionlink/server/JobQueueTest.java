package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JobQueueTest {

    private static Job job(String id, Job.Source s, List<String> finished) {
        return new Job(id, s, "m", Map.of(), List.of(), "out", j -> finished.add(j.id() + ":" + j.state().id()));
    }

    @Test
    void interventionalJobsGoFirstAndAFullQueueRefuses() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        List<String> finished = new CopyOnWriteArrayList<>();
        Metrics metrics = new Metrics();
        JobQueue q = new JobQueue(3, 1, 100, (job, worker) -> {
            started.countDown();
            gate.await();
            order.add(job.id());
            if (job.id().equals("pacs-2")) {
                throw new IllegalStateException("boom");
            }
            job.done(null, Map.of());
        }, metrics);
        q.submit(job("blocker", Job.Source.DICOM, finished));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        q.submit(job("pacs-1", Job.Source.DICOM, finished));
        q.submit(job("pacs-2", Job.Source.DICOM, finished));
        q.submit(job("igtl-1", Job.Source.IGTL, finished));
        QueueFullException full = assertThrows(QueueFullException.class, () -> q.submit(job("igtl-2", Job.Source.IGTL, finished)));
        assertTrue(full.getMessage().contains("full"));
        assertEquals(3, q.depth());
        gate.countDown();
        long deadline = System.currentTimeMillis() + 10_000;
        while (finished.size() < 4) {
            assertTrue(System.currentTimeMillis() < deadline, "jobs not finished: " + finished);
            Thread.sleep(10);
        }
        assertTrue(q.shutdown(10_000).isEmpty(), "nothing left queued");
        assertEquals(List.of("blocker", "igtl-1", "pacs-1", "pacs-2"), order);
        assertTrue(finished.contains("pacs-2:failed"));
        assertEquals("boom", q.find("pacs-2").orElseThrow().error());
        assertEquals("done", q.find("igtl-1").orElseThrow().state().id());
        String text = metrics.render(q, () -> 0);
        assertTrue(text.contains("lesionlink_jobs_rejected_total{source=\"igtl\"} 1"), text);
        assertTrue(text.contains("lesionlink_jobs{state=\"failed\"} 1"), text);
        assertThrows(QueueFullException.class, () -> q.submit(job("late", Job.Source.IGTL, finished)));
    }
}
