package org.lesionlink.server;

import java.net.SocketAddress;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.AssociationMonitor;
import org.lesionlink.igtl.server.ConnectionMonitor;
import org.lesionlink.igtl.server.IgtlSession;
import org.lesionlink.security.AuditLog;

/**
 * What {@code serve} writes to the audit log, in one place. Events (field {@code event}):
 * <ul>
 *   <li>{@code server-started}, {@code server-stopped}</li>
 *   <li>{@code dicom-association-accepted} / {@code dicom-association-refused} (remote, callingAe, calledAe, tls,
 *       reason)</li>
 *   <li>{@code igtl-connection-opened} / {@code igtl-connection-refused} (remote, session, tls, reason)</li>
 *   <li>{@code http-refused} (remote, path, reason)</li>
 *   <li>{@code dicom-study-received} (study pseudonym, instances)</li>
 *   <li>{@code job-finished} (job, source, model, state, elapsedMs, error)</li>
 *   <li>{@code dicom-result-sent} / {@code dicom-result-send-failed} (study and SEG pseudonyms, destination, tls),
 *       {@code igtl-result-sent} (job, session, remote)</li>
 * </ul>
 * UIDs appear only as pseudonyms ({@link org.lesionlink.security.Pseudonyms}); patient names and IDs never.
 */
final class AuditEvents {

    private AuditEvents() {
    }

    static AssociationMonitor dicom(AuditLog audit) {
        return new AssociationMonitor() {
            @Override
            public void accepted(Association as, boolean tls) {
                audit.record("dicom-association-accepted", "remote", text(as.remoteAddress()), "callingAe",
                        as.callingAeTitle(), "calledAe", as.calledAeTitle(), "tls", tls, "presentationContexts",
                        as.presentationContexts().size());
            }

            @Override
            public void refused(SocketAddress remote, String callingAe, String calledAe, boolean tls, String reason) {
                audit.record("dicom-association-refused", "remote", text(remote), "callingAe", callingAe, "calledAe",
                        calledAe, "tls", tls, "reason", reason);
            }
        };
    }

    static ConnectionMonitor igtl(AuditLog audit) {
        return new ConnectionMonitor() {
            @Override
            public void opened(IgtlSession session, boolean tls) {
                audit.record("igtl-connection-opened", "remote", text(session.remoteAddress()), "session", session.id(),
                        "tls", tls);
            }

            @Override
            public void refused(SocketAddress remote, boolean tls, String reason) {
                audit.record("igtl-connection-refused", "remote", text(remote), "tls", tls, "reason", reason);
            }
        };
    }

    /** {@code runner} with a {@code job-finished} event after each job, whatever became of it. */
    static JobQueue.Runner jobs(JobQueue.Runner runner, AuditLog audit) {
        return new JobQueue.Runner() {
            @Override
            public void run(Job job, int worker) throws Exception {
                try {
                    runner.run(job, worker);
                    audit.record("job-finished", "job", job.id(), "source", job.source().id(), "model", job.model(),
                            "state", job.state().id(), "elapsedMs", job.elapsedMs(), "error", job.error());
                } catch (Exception | Error e) {
                    audit.record("job-finished", "job", job.id(), "source", job.source().id(), "model", job.model(),
                            "state", "failed", "elapsedMs", job.elapsedMs(), "error",
                            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    throw e;
                }
            }

            @Override
            public void publish(Job job) throws Exception {
                runner.publish(job);
            }
        };
    }

    static String text(SocketAddress a) {
        return a == null ? null : a.toString().replaceFirst("^[^/]*/", "");
    }
}
