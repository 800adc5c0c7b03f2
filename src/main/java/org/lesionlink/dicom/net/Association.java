package org.lesionlink.dicom.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.io.DicomException;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.net.dimse.CommandField;
import org.lesionlink.dicom.net.dimse.DataSetSink;
import org.lesionlink.dicom.net.dimse.DataSource;
import org.lesionlink.dicom.net.dimse.Dimse;
import org.lesionlink.dicom.net.dimse.DimseResponse;
import org.lesionlink.dicom.net.dimse.MemorySink;
import org.lesionlink.dicom.net.dimse.Status;
import org.lesionlink.dicom.net.pdu.AAbort;
import org.lesionlink.dicom.net.pdu.AAssociateAc;
import org.lesionlink.dicom.net.pdu.AAssociateRj;
import org.lesionlink.dicom.net.pdu.AAssociateRq;
import org.lesionlink.dicom.net.pdu.AReleaseRp;
import org.lesionlink.dicom.net.pdu.AReleaseRq;
import org.lesionlink.dicom.net.pdu.PDataTf;
import org.lesionlink.dicom.net.pdu.PduCodec;
import org.lesionlink.dicom.net.pdu.PduDecoder;
import org.lesionlink.dicom.net.pdu.PresentationContextAc;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;
import org.lesionlink.dicom.net.pdu.Pdv;
import org.lesionlink.dicom.net.pdu.UserInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DICOM association, requestor or acceptor: the Upper Layer protocol machine of PS3.8 section 9.2 and the
 * DIMSE message layer on top of it (PS3.7, PS3.8 Annex E).
 *
 * <p><b>Protocol machine.</b> {@link #fire} looks the (event, state) pair up in {@link TransitionTable} and runs
 * the action's method ({@link #ae1} ... {@link #aa8}), which returns the next state. Every event is processed on the
 * channel's event loop; actions may queue follow-up events (the local user's answers: A-ASSOCIATE response, A-RELEASE
 * response), which run right after the current transition. An event the table has no entry for is ignored when it
 * comes from the network in Sta1 (a late close) and refused when it is a local primitive.
 *
 * <p><b>Threads.</b> With a worker pool the network thread never blocks: received data set fragments (in batches of up to
 * {@value #FRAGMENT_BATCH} bytes, the last batch together with the request) and requests are handed to a
 * per-association serial worker (in order) that writes to disk or runs the services. User calls
 * ({@link #cecho}, {@link #cstore}, {@link #cfind}, {@link #cmove}, {@link #release}) block their caller and refuse
 * to run on the event loop. Outgoing P-DATA is cut into PDUs no longer than the peer's Maximum Length; a writer
 * waits when more than {@value #MAX_BYTES_IN_FLIGHT} bytes are queued (and reading from the peer pauses when the
 * worker has more than {@value #MAX_WORKER_BACKLOG} bytes to write), so memory stays bounded both ways.
 *
 * <p><b>On the network thread.</b> Without a worker pool ({@code workerPool} null: a server with a thread per
 * association, see {@link DicomServerConfig#workerThreads()}) the worker's tasks run at once on the association's
 * own event loop, which then reads nothing more from the peer until they are done: a blocking fsync delays only
 * this association, whose peer waits for the response anyway, and a small instance costs no thread hand-off at
 * all (before: network thread, worker, network thread again for the response). {@link #writeDimse} then writes
 * without waiting: past {@value #MAX_BYTES_IN_FLIGHT} bytes queued, reading from the peer pauses instead until
 * they drain. The blocking user calls still refuse to run there.
 *
 * <p>Only one operation is outstanding at a time (Asynchronous Operations Window 1/1, the default when not
 * negotiated).
 */
public final class Association {

    private static final Logger log = LoggerFactory.getLogger(Association.class);

    static final long MAX_BYTES_IN_FLIGHT = 4L << 20;
    static final long MAX_WORKER_BACKLOG = 16L << 20;
    static final int FRAGMENT_BATCH = 256 * 1024;
    private static final int MAX_COMMAND_LENGTH = 1 << 20;
    /** Fragment size used when the peer announced no limit (Maximum Length 0). */
    private static final int UNLIMITED_PEER_FRAGMENT = 65536 - 6;
    private static final DimseResponse CLOSED = new DimseResponse(new Attributes(), null);

    /** Which side of the association we are. */
    public enum Role { REQUESTOR, ACCEPTOR }

    private final Role role;
    private final Channel channel;
    private final AssociationSettings settings;
    private final AcceptorPolicy policy;
    private final DimseRequestHandler requestHandler;
    private final Executor worker;
    /** The worker's tasks run on the event loop (no worker pool). */
    private final boolean onLoop;
    private final AtomicInteger admitted;
    private final PduDecoder decoder;

    // --- protocol machine state (event loop only) ---
    private volatile State state = State.Sta1;
    private final ArrayDeque<Object[]> queuedEvents = new ArrayDeque<>();
    private boolean firing;
    private ScheduledFuture<?> artim;
    private boolean countedAdmission;
    private SocketAddress connectTo;
    /**
     * The last 64 transitions, kept as their parts and formatted only when asked for: a transition per PDU each way
     * made building the string a per-PDU cost.
     */
    private final ArrayDeque<Transition> transitions = new ArrayDeque<>();

    private record Transition(State from, Event event, Action action, State next) {
        @Override
        public String toString() {
            return from + " + " + event + " -> " + action.standardName() + " -> " + next;
        }
    }
    /** Indications to the local user that must see the new state: run right after the transition. */
    private final List<Runnable> afterTransition = new ArrayList<>();

    // --- negotiation results ---
    private volatile AAssociateRq rq;
    private volatile AAssociateAc ac;
    private final Map<Integer, PresentationContext> contexts = new ConcurrentHashMap<>();
    private volatile long peerMaxPduLength;

    // --- incoming message assembly (event loop only) ---
    private ByteBuf commandBytes;
    private int commandContext;
    private Attributes command;
    private PresentationContext dataContext;
    private DataSetSink sink;
    private long dataLength;
    private boolean dataTooLong;
    private final AtomicLong workerBacklog = new AtomicLong();
    /**
     * Data set fragments received but not yet handed to the worker, and the opening of the handler's sink, which
     * waits for them: the worker gets one task per {@value #FRAGMENT_BATCH} bytes and one at the end of the data
     * set (which also runs the request), not one per PDV. Each task is a thread wake-up, and on a loaded machine
     * each wake-up waits for a time slice; a 128 KB instance in 16 KB PDUs used to cost ten of them.
     */
    private final List<ByteBuf> heldFragments = new ArrayList<>();
    private int heldBytes;
    private Runnable heldOpen;

    // --- outgoing flow control ---
    private final Object flow = new Object();
    private long bytesInFlight;

    // --- user view ---
    private final CompletableFuture<Association> established = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile IOException failure;
    private volatile boolean terminated;
    private final AtomicInteger nextMessageId = new AtomicInteger(1);
    private final Map<Integer, BlockingQueue<DimseResponse>> pending = new ConcurrentHashMap<>();
    /** Asynchronous requests by message ID (event loop only): completed on the event loop by their response. */
    private final Map<Integer, AsyncRequest> asyncPending = new HashMap<>();
    /** Event loop only: P-DATA written without a flush per PDU; the writer flushes once at the end of its batch. */
    private boolean deferFlush;
    /** Event loop only: an asynchronous writer waiting for bytes in flight to drain. */
    private Runnable flowResume;
    /** Event loop only: reading paused by {@link #pauseReadingWhileFlowFull}. */
    private boolean readingPausedForFlow;

    private static final class AsyncRequest {
        final CompletableFuture<DimseResponse> result = new CompletableFuture<>();
        ScheduledFuture<?> timeout;
    }

    /** @param workerPool where the association's worker runs its tasks, one at a time; null: on the event loop */
    Association(Role role, Channel channel, AssociationSettings settings, AcceptorPolicy policy,
            DimseRequestHandler requestHandler, Executor workerPool, AtomicInteger admitted, PduDecoder decoder) {
        this.role = Objects.requireNonNull(role, "role");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.policy = policy;
        this.requestHandler = requestHandler;
        this.onLoop = workerPool == null;
        this.worker = onLoop ? SerialExecutor.direct() : new SerialExecutor(workerPool);
        this.admitted = admitted == null ? new AtomicInteger() : admitted;
        this.decoder = decoder;
    }

    /** The channel's event loop (looked up when needed: the channel may be registered after construction). */
    private EventLoop loop() {
        return channel.eventLoop();
    }

    // =====================================================================================================
    // public view

    public Role role() {
        return role;
    }

    /** The protocol machine's state; exact only when read on the event loop. */
    public State state() {
        return state;
    }

    public AssociationSettings settings() {
        return settings;
    }

    /** The A-ASSOCIATE-RQ (sent or received), or {@code null} before it exists. */
    public AAssociateRq associateRq() {
        return rq;
    }

    /** The A-ASSOCIATE-AC (sent or received), or {@code null}. */
    public AAssociateAc associateAc() {
        return ac;
    }

    public String callingAeTitle() {
        return rq == null ? null : rq.callingAeTitle();
    }

    public String calledAeTitle() {
        return rq == null ? null : rq.calledAeTitle();
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** The Maximum Length the peer announced: the longest P-DATA-TF we send (0: no limit). */
    public long peerMaxPduLength() {
        return peerMaxPduLength;
    }

    /** The accepted presentation contexts by ID. */
    public Map<Integer, PresentationContext> presentationContexts() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(contexts));
    }

    public PresentationContext presentationContext(int id) {
        return contexts.get(id);
    }

    /** An accepted context for {@code abstractSyntax}, preferring {@code transferSyntax} when given; or {@code null}. */
    public PresentationContext findContext(String abstractSyntax, String transferSyntax) {
        PresentationContext best = null; // the lowest ID that matches (called once per instance sent: no copying)
        for (PresentationContext pc : contexts.values()) {
            if (pc.abstractSyntax().equals(abstractSyntax)
                    && (transferSyntax == null || pc.transferSyntax().equals(transferSyntax))
                    && (best == null || pc.id() < best.id())) {
                best = pc;
            }
        }
        return best;
    }

    /** Completes when the association is established; fails when it is rejected, aborted or the connection fails. */
    public CompletableFuture<Association> established() {
        return established;
    }

    /** Completes when the association is over (released, aborted, connection closed). */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Why the association ended abnormally, or {@code null}. */
    public IOException failure() {
        return failure;
    }

    /** The most recent transitions, oldest first, as "Sta6 + Evt12 -> AR-2 -> Sta8" (for logs and tests). */
    public List<String> transitions() {
        synchronized (transitions) {
            List<String> out = new ArrayList<>(transitions.size());
            transitions.forEach(t -> out.add(t.toString()));
            return out;
        }
    }

    @Override
    public String toString() {
        AAssociateRq r = rq;
        return (r == null ? "association" : r.callingAeTitle() + "->" + r.calledAeTitle()) + " " + channel.remoteAddress();
    }

    // =====================================================================================================
    // events in

    /** Processes {@code event} on the event loop (queued when called from another thread). */
    public void fire(Event event, Object arg) {
        if (!loop().inEventLoop()) {
            loop().execute(() -> fire(event, arg));
            return;
        }
        queuedEvents.add(new Object[] {event, arg});
        if (firing) {
            return;
        }
        firing = true;
        try {
            Object[] e;
            while ((e = queuedEvents.poll()) != null) {
                transition((Event) e[0], e[1]);
            }
        } finally {
            firing = false;
        }
    }

    private void transition(Event event, Object arg) {
        State from = state;
        Action action = TransitionTable.action(event, from);
        if (action == null) {
            ReferenceCountUtil.release(arg);
            if (event.isLocalPrimitive()) {
                log.debug("{}: {} refused in {}", this, event, from);
                if (event == Event.Evt9) {
                    wakeWriters();
                }
            } else if (from != State.Sta1) {
                log.warn("{}: no transition for {} in {}", this, event, from);
            }
            return;
        }
        State next;
        try {
            next = perform(action, event, arg);
        } finally {
            if (arg instanceof PDataTf && action != Action.DT_2 && action != Action.AR_6) {
                ReferenceCountUtil.release(arg);
            }
        }
        state = next;
        Transition t = new Transition(from, event, action, next);
        synchronized (transitions) {
            transitions.add(t);
            if (transitions.size() > 64) {
                transitions.poll();
            }
        }
        if (log.isDebugEnabled() && event != Event.Evt9 && event != Event.Evt10) {
            log.debug("{}: {}", this, t);
        }
        if (!afterTransition.isEmpty()) {
            List<Runnable> rs = new ArrayList<>(afterTransition);
            afterTransition.clear();
            rs.forEach(Runnable::run);
        }
    }

    private State perform(Action a, Event event, Object arg) {
        return switch (a) {
            case AE_1 -> ae1((SocketAddress) arg);
            case AE_2 -> ae2();
            case AE_3 -> ae3((AAssociateAc) arg);
            case AE_4 -> ae4((AAssociateRj) arg);
            case AE_5 -> ae5();
            case AE_6 -> ae6((AAssociateRq) arg);
            case AE_7 -> ae7((AAssociateAc) arg);
            case AE_8 -> ae8((AAssociateRj) arg);
            case DT_1 -> dt1((ByteBuf) arg);
            case DT_2 -> dt2((PDataTf) arg);
            case AR_1 -> ar1();
            case AR_2 -> ar2();
            case AR_3 -> ar3();
            case AR_4 -> ar4();
            case AR_5 -> ar5();
            case AR_6 -> ar6((PDataTf) arg);
            case AR_7 -> ar7((ByteBuf) arg);
            case AR_8 -> ar8();
            case AR_9 -> ar9();
            case AR_10 -> ar10();
            case AA_1 -> aa1(event, arg);
            case AA_2 -> aa2();
            case AA_3 -> aa3((org.lesionlink.dicom.net.pdu.AAbort) arg);
            case AA_4 -> aa4();
            case AA_5 -> aa5();
            case AA_6 -> aa6();
            case AA_7 -> aa7(event, arg);
            case AA_8 -> aa8(event, arg);
        };
    }

    // =====================================================================================================
    // actions, PS3.8 Tables 9-6 to 9-9

    /** AE-1: issue TRANSPORT CONNECT request to the local transport service. */
    private State ae1(SocketAddress remote) {
        connectTo = remote;
        channel.connect(remote).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail(new AssociationException("cannot connect to " + remote + ": " + f.cause().getMessage()));
                fire(Event.Evt17, null);
            }
        });
        return State.Sta4;
    }

    /** AE-2: send A-ASSOCIATE-RQ PDU. */
    private State ae2() {
        send(rq);
        return State.Sta5;
    }

    /** AE-3: issue A-ASSOCIATE confirmation (accept). */
    private State ae3(AAssociateAc accept) {
        ac = accept;
        for (PresentationContextAc pc : accept.presentationContexts()) {
            PresentationContextRq proposed = rq.presentationContext(pc.id());
            if (pc.isAccepted() && proposed != null) {
                contexts.put(pc.id(), new PresentationContext(pc.id(), proposed.abstractSyntax(), pc.transferSyntax()));
            }
        }
        peerMaxPduLength = Math.max(0, accept.userInformation().maxLength());
        enforceMaxPduLength();
        afterTransition.add(() -> established.complete(this));
        return State.Sta6;
    }

    /** AE-4: issue A-ASSOCIATE confirmation (reject) and close the transport connection. */
    private State ae4(AAssociateRj rj) {
        fail(new AssociationException("association rejected: " + rj.describe(), rj, null));
        channel.close();
        terminate();
        return State.Sta1;
    }

    /** AE-5: issue transport connection response; start ARTIM. */
    private State ae5() {
        startArtim();
        return State.Sta2;
    }

    /**
     * AE-6: stop ARTIM; if the RQ is acceptable to the service provider (protocol version 1, under the association
     * limit) issue the A-ASSOCIATE indication to the local user (our {@link AcceptorPolicy}), else send
     * A-ASSOCIATE-RJ and start ARTIM.
     */
    private State ae6(AAssociateRq request) {
        stopArtim();
        rq = request;
        AAssociateRj providerReject = null;
        if ((request.protocolVersion() & 1) == 0) {
            providerReject = new AAssociateRj(AAssociateRj.PERMANENT, AAssociateRj.SOURCE_ACSE,
                    AAssociateRj.PROTOCOL_VERSION_NOT_SUPPORTED);
        } else if (admitted.incrementAndGet() > policy.maxAssociations()) {
            admitted.decrementAndGet();
            providerReject = new AAssociateRj(AAssociateRj.TRANSIENT, AAssociateRj.SOURCE_PRESENTATION,
                    AAssociateRj.LOCAL_LIMIT_EXCEEDED);
        } else {
            countedAdmission = true;
        }
        if (providerReject != null) {
            log.info("{}: rejecting association: {}", this, providerReject);
            send(providerReject);
            fail(new AssociationException("association rejected by us: " + providerReject.describe(), providerReject, null));
            startArtim();
            return State.Sta13;
        }
        decideAssociation(request); // the local user's A-ASSOCIATE response, queued as Evt7 or Evt8
        return State.Sta3;
    }

    /** AE-7: send A-ASSOCIATE-AC. */
    private State ae7(AAssociateAc accept) {
        ac = accept;
        peerMaxPduLength = Math.max(0, rq.userInformation().maxLength());
        for (PresentationContextAc pc : accept.presentationContexts()) {
            PresentationContextRq proposed = rq.presentationContext(pc.id());
            if (pc.isAccepted()) {
                contexts.put(pc.id(), new PresentationContext(pc.id(), proposed.abstractSyntax(), pc.transferSyntax()));
            }
        }
        enforceMaxPduLength();
        send(accept);
        afterTransition.add(() -> established.complete(this));
        log.info("{}: association accepted, {} of {} presentation contexts, peer max PDU {}", this, contexts.size(),
                rq.presentationContexts().size(), peerMaxPduLength);
        return State.Sta6;
    }

    /** AE-8: send A-ASSOCIATE-RJ and start ARTIM. */
    private State ae8(AAssociateRj rj) {
        log.info("{}: rejecting association: {}", this, rj.describe());
        send(rj);
        fail(new AssociationException("association rejected by us: " + rj.describe(), rj, null));
        startArtim();
        return State.Sta13;
    }

    /** DT-1: send P-DATA-TF PDU. */
    private State dt1(ByteBuf pdu) {
        writePData(pdu);
        return State.Sta6;
    }

    /** DT-2: send P-DATA indication primitive (to the DIMSE layer). */
    private State dt2(PDataTf pdu) {
        onPData(pdu);
        return State.Sta6;
    }

    /** AR-1: send A-RELEASE-RQ. */
    private State ar1() {
        send(AReleaseRq.INSTANCE);
        return State.Sta7;
    }

    /**
     * AR-2: issue A-RELEASE indication. The local user answers (Evt14) once the worker has sent every response
     * still due, so the release never overtakes a C-STORE-RSP.
     */
    private State ar2() {
        answerReleaseAfterWorker();
        return State.Sta8;
    }

    /** AR-3: issue A-RELEASE confirmation and close the transport connection. */
    private State ar3() {
        channel.close();
        terminate();
        return State.Sta1;
    }

    /** AR-4: issue A-RELEASE-RP and start ARTIM. */
    private State ar4() {
        send(AReleaseRp.INSTANCE);
        startArtim();
        terminate();
        return State.Sta13;
    }

    /** AR-5: stop ARTIM. */
    private State ar5() {
        stopArtim();
        terminate();
        return State.Sta1;
    }

    /** AR-6: issue P-DATA indication (data still arriving after our A-RELEASE-RQ). */
    private State ar6(PDataTf pdu) {
        onPData(pdu);
        return State.Sta7;
    }

    /** AR-7: issue P-DATA-TF (responses still due after the peer's A-RELEASE-RQ). */
    private State ar7(ByteBuf pdu) {
        writePData(pdu);
        return State.Sta8;
    }

    /** AR-8: issue A-RELEASE indication (release collision): the requestor goes to Sta9, the acceptor to Sta10. */
    private State ar8() {
        if (role == Role.REQUESTOR) {
            fire(Event.Evt14, null); // the requestor's user answers the collision at once (PS3.8 section 7.2.2)
            return State.Sta9;
        }
        return State.Sta10;
    }

    /** AR-9: send A-RELEASE-RP. */
    private State ar9() {
        send(AReleaseRp.INSTANCE);
        return State.Sta11;
    }

    /** AR-10: issue A-RELEASE confirmation; the acceptor's user then answers with its A-RELEASE response. */
    private State ar10() {
        fire(Event.Evt14, null);
        return State.Sta12;
    }

    /**
     * AA-1: send A-ABORT and start (or restart) ARTIM. Source: service user for our own abort request (Evt15),
     * service provider with "unexpected PDU" (or the decoder's reason) when a PDU arrives that Sta2 does not allow.
     */
    private State aa1(Event event, Object arg) {
        AAbort abort = event == Event.Evt15 ? AAbort.byUser() : providerAbort(arg);
        send(abort);
        fail(new AssociationException(event == Event.Evt15 ? "association aborted by us"
                : "association aborted by us: " + event.description(), null, abort));
        startArtim();
        terminate();
        return State.Sta13;
    }

    /** AA-2: stop ARTIM if running; close the transport connection. */
    private State aa2() {
        stopArtim();
        channel.close();
        if (!terminated) {
            fail(new AssociationException(state == State.Sta2 ? "no A-ASSOCIATE-RQ before the ARTIM timer expired"
                    : "association closed"));
        }
        terminate();
        return State.Sta1;
    }

    /** AA-3: issue A-ABORT (source user) or A-P-ABORT (source provider) indication; close the transport connection. */
    private State aa3(AAbort abort) {
        fail(new AssociationException("association aborted by the peer (source " + abort.source() + ", reason "
                + abort.reason() + ")", null, abort));
        channel.close();
        terminate();
        return State.Sta1;
    }

    /** AA-4: issue A-P-ABORT indication (the transport connection closed under an association). */
    private State aa4() {
        fail(new AssociationException("connection closed in " + state));
        terminate();
        return State.Sta1;
    }

    /** AA-5: stop ARTIM (the connection closed before an A-ASSOCIATE-RQ). */
    private State aa5() {
        stopArtim();
        fail(new AssociationException("connection closed before an A-ASSOCIATE-RQ"));
        terminate();
        return State.Sta1;
    }

    /** AA-6: ignore the PDU (the association no longer exists). */
    private State aa6() {
        return State.Sta13;
    }

    /** AA-7: send A-ABORT. */
    private State aa7(Event event, Object arg) {
        send(providerAbort(arg));
        return State.Sta13;
    }

    /** AA-8: send A-ABORT (service provider), issue A-P-ABORT indication, start ARTIM. */
    private State aa8(Event event, Object arg) {
        AAbort abort = providerAbort(arg);
        log.warn("{}: aborting: {} in {} (reason {})", this, event.description(), state, abort.reason());
        send(abort);
        fail(new AssociationException("association aborted by us: " + event.description() + " in " + state, null, abort));
        startArtim();
        terminate();
        return State.Sta13;
    }

    private static AAbort providerAbort(Object arg) {
        if (arg instanceof Integer reason) {
            return AAbort.byProvider(reason);
        }
        return AAbort.byProvider(AAbort.UNEXPECTED_PDU);
    }

    // =====================================================================================================
    // helpers of the actions

    private void send(Object pdu) {
        channel.writeAndFlush(pdu).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private void startArtim() {
        stopArtim();
        long ms = settings.artimTimeout().toMillis();
        artim = loop().schedule(() -> {
            artim = null;
            fire(Event.Evt18, null);
        }, ms, TimeUnit.MILLISECONDS);
    }

    private void stopArtim() {
        if (artim != null) {
            artim.cancel(false);
            artim = null;
        }
    }

    private void enforceMaxPduLength() {
        if (decoder != null) {
            decoder.setMaxPDataLength(settings.maxPduLength());
        }
    }

    /** The local user's decision on an A-ASSOCIATE indication: called AE, calling AE hook, contexts. */
    private void decideAssociation(AAssociateRq request) {
        AAssociateRj reject = null;
        if (!AAssociateRq.DICOM_APPLICATION_CONTEXT.equals(request.applicationContext())) {
            reject = new AAssociateRj(AAssociateRj.PERMANENT, AAssociateRj.SOURCE_USER,
                    AAssociateRj.APPLICATION_CONTEXT_NOT_SUPPORTED);
        } else if (policy.checkCalledAe() && !settings.aeTitle().equals(request.calledAeTitle())) {
            reject = new AAssociateRj(AAssociateRj.PERMANENT, AAssociateRj.SOURCE_USER,
                    AAssociateRj.CALLED_AE_NOT_RECOGNIZED);
        } else if (!acceptCalling(request)) {
            reject = new AAssociateRj(AAssociateRj.PERMANENT, AAssociateRj.SOURCE_USER,
                    AAssociateRj.CALLING_AE_NOT_RECOGNIZED);
        }
        if (reject != null) {
            fire(Event.Evt8, reject);
            return;
        }
        List<PresentationContextAc> answers = new ArrayList<>();
        for (PresentationContextRq pc : request.presentationContexts()) {
            answers.add(policy.presentationContexts().negotiate(pc));
        }
        UserInformation ui = new UserInformation(settings.maxPduLength(), settings.implementationClassUid(),
                settings.implementationVersionName());
        fire(Event.Evt7, new AAssociateAc(1, request.calledAeTitle(), request.callingAeTitle(),
                AAssociateRq.DICOM_APPLICATION_CONTEXT, answers, ui));
    }

    private boolean acceptCalling(AAssociateRq request) {
        try {
            return policy.callingAeFilter().accept(request.callingAeTitle(), request.calledAeTitle(),
                    channel.remoteAddress());
        } catch (RuntimeException e) {
            log.warn("{}: calling AE filter failed; rejecting", this, e);
            return false;
        }
    }

    private void answerReleaseAfterWorker() {
        worker.execute(() -> fire(Event.Evt14, null));
    }

    private void fail(IOException e) {
        if (failure == null && !terminated) {
            failure = e;
        }
    }

    /** The association is over for the user: fail waiters, drop a half-received message, free the admission slot. */
    private void terminate() {
        if (terminated) {
            return;
        }
        terminated = true;
        if (commandBytes != null) {
            commandBytes.release();
            commandBytes = null;
        }
        releaseHeld();
        if (sink != null) {
            DataSetSink s = sink;
            sink = null;
            worker.execute(s::abort);
        }
        command = null;
        if (countedAdmission) {
            countedAdmission = false;
            admitted.decrementAndGet();
        }
        IOException f = failure;
        if (!established.isDone()) {
            established.completeExceptionally(f != null ? f : new AssociationException("association not established"));
        }
        for (BlockingQueue<DimseResponse> q : pending.values()) {
            q.offer(CLOSED);
        }
        if (!asyncPending.isEmpty()) {
            List<AsyncRequest> as = new ArrayList<>(asyncPending.values());
            asyncPending.clear();
            afterTransition.add(() -> as.forEach(a -> {
                if (a.timeout != null) {
                    a.timeout.cancel(false);
                }
                a.result.completeExceptionally(new AssociationException("association ended before the response: "
                        + (failure != null ? failure.getMessage() : "closed")));
            }));
        }
        Runnable resume = flowResume;
        flowResume = null;
        if (resume != null) {
            afterTransition.add(resume);
        }
        afterTransition.add(() -> {
            wakeWriters();
            worker.execute(() -> closed.complete(null));
        });
    }

    // =====================================================================================================
    // requestor entry

    /** Starts association establishment: Evt1 (the channel must be registered, not connected). */
    void request(SocketAddress remote, AAssociateRq request) {
        this.rq = request;
        fire(Event.Evt1, remote);
    }

    /** Transport events from the channel handler. */
    void transportOpened() {
        fire(role == Role.ACCEPTOR ? Event.Evt5 : Event.Evt2, null);
    }

    // =====================================================================================================
    // DIMSE in: P-DATA indication (event loop)

    private void onPData(PDataTf p) {
        try {
            for (Pdv pdv : p.pdvs()) {
                if (!onPdv(pdv)) {
                    return;
                }
            }
        } finally {
            p.release();
        }
    }

    private boolean onPdv(Pdv pdv) {
        PresentationContext pc = contexts.get(pdv.contextId());
        if (pc == null) {
            return protocolError("PDV on presentation context " + pdv.contextId() + " that was not accepted");
        }
        if (pdv.isCommand()) {
            if (command != null) {
                return protocolError("command fragment while a data set is expected");
            }
            if (commandBytes == null) {
                commandBytes = Unpooled.buffer(Math.max(256, pdv.data().readableBytes()));
                commandContext = pdv.contextId();
            } else if (commandContext != pdv.contextId()) {
                return protocolError("command fragments on two presentation contexts");
            }
            if (commandBytes.readableBytes() + pdv.data().readableBytes() > MAX_COMMAND_LENGTH) {
                return protocolError("command set longer than " + MAX_COMMAND_LENGTH + " bytes");
            }
            commandBytes.writeBytes(pdv.data());
            if (pdv.isLast()) {
                byte[] b = new byte[commandBytes.readableBytes()];
                commandBytes.readBytes(b);
                commandBytes.release();
                commandBytes = null;
                Attributes cmd;
                try {
                    cmd = new DicomReader().readCommand(b, "command set from " + channel.remoteAddress());
                } catch (DicomException e) {
                    return protocolError("unreadable command set: " + e.getMessage());
                }
                onCommand(pc, cmd);
            }
            return true;
        }
        if (command == null || dataContext == null) {
            return protocolError("data set fragment without a command that announced one");
        }
        if (pdv.contextId() != dataContext.id()) {
            return protocolError("data set on presentation context " + pdv.contextId() + ", command on " + dataContext.id());
        }
        int n = pdv.data().readableBytes();
        dataLength += n;
        if (!dataTooLong && dataLength > settings.maxDataSetLength()) {
            dataTooLong = true;
            releaseHeld();
            DataSetSink s = sink;
            worker.execute(s::abort);
            log.warn("{}: data set longer than {} bytes; discarding it", this, settings.maxDataSetLength());
        }
        if (!dataTooLong && n > 0 && sink instanceof MemorySink m) {
            m.write(pdv.data()); // a response's data set (C-FIND identifier): small, kept on the network thread
        } else if (!dataTooLong && n > 0) {
            heldFragments.add(pdv.data().retainedSlice());
            heldBytes += n;
            if (workerBacklog.addAndGet(n) > MAX_WORKER_BACKLOG && channel.config().isAutoRead()) {
                channel.config().setAutoRead(false);
                readIfDrained(); // the worker may have drained it meanwhile, having seen reading on (see takeHeld)
            }
            if (heldBytes >= FRAGMENT_BATCH && !pdv.isLast()) {
                worker.execute(takeHeld(sink));
            }
        }
        if (pdv.isLast()) {
            Attributes cmd = command;
            PresentationContext dpc = dataContext;
            DataSetSink s = sink;
            Integer failed = dataTooLong ? Status.OUT_OF_RESOURCES : null;
            Runnable held = dataTooLong ? null : takeHeld(s);
            heldOpen = null;
            command = null;
            dataContext = null;
            sink = null;
            dispatch(dpc, cmd, s, failed, held);
        }
        return true;
    }

    /**
     * The worker's share of what is held: open the sink if not yet done, then write the held fragments to it in one
     * call (a composite buffer; a file sink writes it with one gathering write). {@code null} when nothing is held.
     */
    private Runnable takeHeld(DataSetSink s) {
        Runnable open = heldOpen;
        heldOpen = null;
        if (heldFragments.isEmpty()) {
            return open;
        }
        ByteBuf batch = heldFragments.size() == 1 ? heldFragments.get(0)
                : Unpooled.wrappedBuffer(heldFragments.toArray(new ByteBuf[0]));
        int n = heldBytes;
        heldFragments.clear();
        heldBytes = 0;
        return () -> {
            try {
                if (open != null) {
                    open.run();
                }
                s.write(batch);
            } catch (IOException e) {
                log.debug("{}: data set sink failed: {}", this, e.toString());
            } finally {
                batch.release();
                // Only when reading is paused: otherwise a task to the event loop per batch, a second thread
                // hand-off per instance. (autoRead is volatile; the loop checks the backlog again after pausing.)
                if (workerBacklog.addAndGet(-n) < MAX_WORKER_BACKLOG / 4 && !channel.config().isAutoRead()) {
                    resumeReading();
                }
            }
        };
    }

    /** Drops the held fragments (abort, data set too long); the sink, if opened, is aborted by the caller. */
    private void releaseHeld() {
        if (!heldFragments.isEmpty()) {
            heldFragments.forEach(ByteBuf::release);
            heldFragments.clear();
            if (workerBacklog.addAndGet(-heldBytes) < MAX_WORKER_BACKLOG / 4) {
                resumeReading();
            }
            heldBytes = 0;
        }
    }

    private void resumeReading() {
        if (loop().inEventLoop()) {
            readIfDrained();
        } else {
            loop().execute(this::readIfDrained);
        }
    }

    /** Event loop: reading goes on when neither the worker's backlog nor the responses in flight hold it back. */
    private void readIfDrained() {
        if (!channel.config().isAutoRead() && workerBacklog.get() < MAX_WORKER_BACKLOG / 4 && !readingPausedForFlow) {
            channel.config().setAutoRead(true);
        }
    }

    private void onCommand(PresentationContext pc, Attributes cmd) {
        int field = Dimse.commandField(cmd);
        if (!Dimse.hasDataSet(cmd)) {
            dispatch(pc, cmd, null, null, null);
            return;
        }
        command = cmd;
        dataContext = pc;
        dataLength = 0;
        dataTooLong = false;
        if (CommandField.isResponse(field) || requestHandler == null) {
            sink = new MemorySink();
        } else {
            // Opening the sink may touch the disk (a temp file): done on the worker, in the same task as the first
            // fragments (see heldFragments).
            SinkHolder h = new SinkHolder();
            sink = h;
            heldOpen = () -> h.target = requestHandler.openDataSet(this, pc, cmd);
        }
    }

    /** Forwards to the handler's sink, opened on the worker before the first fragment arrives there. */
    private static final class SinkHolder implements DataSetSink {
        DataSetSink target;

        @Override
        public void write(ByteBuf fragment) throws IOException {
            if (target != null) {
                target.write(fragment);
            }
        }

        @Override
        public void abort() {
            if (target != null) {
                target.abort();
            }
        }
    }

    /** @param held the worker's last share of the data set ({@link #takeHeld}), run before the request; or null */
    private void dispatch(PresentationContext pc, Attributes cmd, DataSetSink data, Integer failed, Runnable held) {
        int field = Dimse.commandField(cmd);
        if (CommandField.isResponse(field)) {
            // Responses go straight to the waiting caller: no hop through the worker (each thread hand-off costs
            // a scheduling delay per C-STORE on a loaded machine).
            deliverResponse(pc, cmd, data);
        } else if (field == CommandField.C_CANCEL_RQ) {
            log.debug("{}: C-CANCEL-RQ ignored (no cancellable operation)", this);
        } else if (requestHandler == null) {
            worker.execute(() -> {
                if (held != null) {
                    held.run();
                }
                if (data != null) {
                    data.abort();
                }
                writeResponseQuietly(pc, Dimse.response(cmd, Status.UNRECOGNIZED_OPERATION));
            });
        } else {
            DataSetSink d = data instanceof SinkHolder h ? null : data;
            worker.execute(() -> {
                if (held != null) {
                    held.run(); // the last fragments, in the same task: one wake-up of the worker per small instance
                }
                requestHandler.onRequest(this, pc, cmd, data instanceof SinkHolder h ? h.target : d, failed);
            });
        }
    }

    private void writeResponseQuietly(PresentationContext pc, Attributes rsp) {
        try {
            writeDimse(pc, rsp, null);
        } catch (IOException e) {
            log.debug("{}: response not sent: {}", this, e.toString());
        }
    }

    private void deliverResponse(PresentationContext pc, Attributes cmd, DataSetSink data) {
        Attributes ds = null;
        if (data instanceof MemorySink m) {
            try {
                ds = m.readAndRelease(pc.ts(), "response data set");
            } catch (DicomException e) {
                log.warn("{}: unreadable response data set: {}", this, e.getMessage());
            }
        }
        int id = cmd.getInt(Tag.MessageIDBeingRespondedTo, -1);
        AsyncRequest a = asyncPending.get(id);
        if (a != null) {
            DimseResponse r = new DimseResponse(cmd, ds);
            if (!Status.isPending(r.status())) {
                asyncPending.remove(id);
                if (a.timeout != null) {
                    a.timeout.cancel(false);
                }
                a.result.complete(r); // dependants run here, on the event loop (e.g. the next C-STORE of a pipeline)
            }
            return;
        }
        BlockingQueue<DimseResponse> q = pending.get(id);
        if (q == null) {
            log.warn("{}: response to unknown message ID {} ignored", this, id);
            return;
        }
        q.offer(new DimseResponse(cmd, ds));
    }

    private boolean protocolError(String what) {
        log.warn("{}: {}", this, what);
        fire(Event.Evt19, AAbort.UNEXPECTED_PDU_PARAMETER);
        return false;
    }

    // =====================================================================================================
    // DIMSE out

    /**
     * Sends one DIMSE message: the command set, then the data set (when {@code data} is not null), each cut into
     * P-DATA-TF PDUs of one PDV no longer than the peer's Maximum Length (PS3.8 Annex E). Blocks while more than
     * {@value #MAX_BYTES_IN_FLIGHT} bytes are queued. Not on the event loop, except by the worker of an association
     * without a worker pool: there it writes without waiting and pauses reading from the peer instead.
     */
    public void writeDimse(PresentationContext pc, Attributes cmd, DataSource data) throws IOException {
        boolean direct = loop().inEventLoop();
        if (direct && !onLoop) {
            throw new IllegalStateException("writeDimse blocks; not on the event loop");
        }
        byte[] c = DicomWriter.encodeCommand(cmd);
        int max = maxFragment();
        writeFragments(pc.id(), true, DataSource.of(c), max, direct);
        if (data != null) {
            writeFragments(pc.id(), false, data, max, direct);
        }
        if (direct) {
            pauseReadingWhileFlowFull();
        }
    }

    /** Largest PDV fragment for the peer's Maximum Length: length minus the 6-byte PDV item header. */
    int maxFragment() {
        long peer = peerMaxPduLength;
        if (peer == 0 || peer > Integer.MAX_VALUE) {
            return UNLIMITED_PEER_FRAGMENT;
        }
        return (int) Math.max(1, peer - 6);
    }

    /** @param direct on the event loop: each PDU goes to the protocol machine at once, nobody waits for the flow */
    private void writeFragments(int pcid, boolean isCommand, DataSource src, int max, boolean direct)
            throws IOException {
        long total = src.length();
        long pos = 0;
        // PDUs are handed to the event loop in batches (one task per ~256 KB, and at the end), not one task each.
        List<ByteBuf> batch = new ArrayList<>();
        long batchBytes = 0;
        try {
        do {
            int n = (int) Math.min(max, total - pos);
            boolean last = pos + n == total;
            ByteBuf pdu = channel.alloc().directBuffer(12 + n);
            try {
                PduCodec.encodePduHeader(pdu, 6 + n);
                pdu.writeInt(n + 2).writeByte(pcid).writeByte((isCommand ? Pdv.COMMAND : 0) | (last ? Pdv.LAST : 0));
                src.read(pos, pdu, n);
            } catch (IOException | RuntimeException e) {
                pdu.release();
                throw e;
            }
            try {
                awaitFlow(pdu.readableBytes(), !direct);
            } catch (IOException e) {
                pdu.release();
                throw e;
            }
            pos += n;
            if (direct) {
                fire(Event.Evt9, pdu); // queued behind the current transition when called within one
                continue;
            }
            batch.add(pdu);
            batchBytes += pdu.readableBytes();
            if (batchBytes >= 256 * 1024 || pos >= total) {
                List<ByteBuf> b = List.copyOf(batch);
                batch.clear();
                batchBytes = 0;
                loop().execute(() -> b.forEach(p -> fire(Event.Evt9, p)));
            }
        } while (pos < total);
        } finally {
            batch.forEach(ByteBuf::release);
        }
    }

    private void awaitFlow(int bytes, boolean wait) throws IOException {
        synchronized (flow) {
            while (wait && bytesInFlight > MAX_BYTES_IN_FLIGHT && !terminated) {
                try {
                    flow.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while sending");
                }
            }
            if (terminated || (state != State.Sta6 && state != State.Sta8 && state != State.Sta7)) {
                IOException f = failure;
                throw new AssociationException("association is not open for data: " + (f != null ? f.getMessage() : state));
            }
            bytesInFlight += bytes;
        }
    }

    private void writePData(ByteBuf pdu) {
        int n = pdu.readableBytes();
        (deferFlush ? channel.write(pdu) : channel.writeAndFlush(pdu)).addListener(f -> {
            long left;
            synchronized (flow) {
                bytesInFlight -= n;
                left = bytesInFlight;
                flow.notifyAll();
            }
            Runnable r = flowResume;
            if (r != null && (left <= MAX_BYTES_IN_FLIGHT / 2 || terminated)) {
                flowResume = null;
                r.run();
            }
            if (readingPausedForFlow && left <= MAX_BYTES_IN_FLIGHT / 2) {
                readingPausedForFlow = false;
                readIfDrained();
            }
        });
    }

    /**
     * Event loop: after a worker task on the loop wrote more than {@value #MAX_BYTES_IN_FLIGHT} bytes that the peer
     * has not taken yet, stop reading its requests (whose responses would pile up) until half of them are gone.
     */
    private void pauseReadingWhileFlowFull() {
        boolean full;
        synchronized (flow) {
            full = bytesInFlight > MAX_BYTES_IN_FLIGHT;
        }
        if (full && !terminated) {
            readingPausedForFlow = true;
            channel.config().setAutoRead(false);
        }
    }

    private void wakeWriters() {
        synchronized (flow) {
            flow.notifyAll();
        }
    }

    // =====================================================================================================
    // SCU operations (blocking)

    /** C-ECHO (Verification SOP class); returns the response. */
    public DimseResponse cecho() throws IOException {
        PresentationContext pc = requireContext(UID.Verification, null);
        int id = nextMessageId();
        return single(id, () -> writeDimse(pc, Dimse.cEchoRq(id, UID.Verification), null));
    }

    /**
     * C-STORE of a data set already encoded in {@code pc}'s transfer syntax.
     *
     * @param moveOriginator for a C-MOVE sub-operation the originator's AE title and message ID, else {@code null}
     */
    public DimseResponse cstore(PresentationContext pc, String sopClassUid, String sopInstanceUid, DataSource data,
            String moveOriginator, int moveOriginatorMessageId) throws IOException {
        int id = nextMessageId();
        Attributes rqCmd = Dimse.cStoreRq(id, sopClassUid, sopInstanceUid, Dimse.PRIORITY_MEDIUM);
        if (moveOriginator != null) {
            rqCmd.setString(Tag.MoveOriginatorApplicationEntityTitle, org.lesionlink.dicom.data.VR.AE, moveOriginator);
            rqCmd.setInt(Tag.MoveOriginatorMessageID, org.lesionlink.dicom.data.VR.US, moveOriginatorMessageId);
        }
        return single(id, () -> writeDimse(pc, rqCmd, data));
    }

    /**
     * Asynchronous C-STORE: returns at once; the request is written by the event loop and the future completes on the
     * event loop with the response (or fails when the association ends or no response comes within the DIMSE
     * timeout, which aborts the association). {@code data} is read on the event loop, fragment by fragment, straight
     * into the PDU buffers, and closed once read. Callable from any thread, including from a dependant of a previous
     * request's future: a pipeline that starts the next C-STORE when the previous response arrives then needs no
     * thread hand-off per instance. The caller keeps at most one request outstanding (window 1/1).
     */
    public CompletableFuture<DimseResponse> cstoreAsync(PresentationContext pc, String sopClassUid, String sopInstanceUid,
            DataSource data) {
        AsyncRequest a = new AsyncRequest();
        Runnable start = () -> {
            if (terminated || (state != State.Sta6 && state != State.Sta8)) {
                closeQuietly(data);
                IOException f = failure;
                a.result.completeExceptionally(new AssociationException("association is not open for data: "
                        + (f != null ? f.getMessage() : state)));
                return;
            }
            int id = nextMessageId();
            asyncPending.put(id, a);
            long timeout = settings.dimseTimeout().toMillis();
            a.timeout = loop().schedule(() -> {
                if (asyncPending.remove(id) == a) {
                    a.result.completeExceptionally(new AssociationException("no response within " + timeout
                            + " ms; association aborted"));
                    abort();
                }
            }, timeout, TimeUnit.MILLISECONDS);
            byte[] c;
            try {
                c = DicomWriter.encodeCommand(Dimse.cStoreRq(id, sopClassUid, sopInstanceUid, Dimse.PRIORITY_MEDIUM));
            } catch (IOException | RuntimeException e) {
                closeQuietly(data);
                asyncPending.remove(id);
                a.timeout.cancel(false);
                a.result.completeExceptionally(e);
                return;
            }
            int max = maxFragment();
            writeFragmentsOnLoop(pc.id(), true, DataSource.of(c), max, 0, () ->
                    writeFragmentsOnLoop(pc.id(), false, data, max, 0, () -> closeQuietly(data), a), a);
        };
        // Not inside a transition (a dependant of a response runs within one): the PDUs must go out now, in order.
        if (loop().inEventLoop() && !firing) {
            start.run();
        } else {
            loop().execute(start);
        }
        return a.result;
    }

    /**
     * Writes {@code src} from {@code pos} as PDUs on the event loop, flushing once per batch; when more than
     * {@value #MAX_BYTES_IN_FLIGHT} bytes are queued it stops and goes on when they drain. Runs {@code then} when all
     * is written; on a failure fails {@code a} and aborts.
     */
    private void writeFragmentsOnLoop(int pcid, boolean isCommand, DataSource src, int max, long pos, Runnable then,
            AsyncRequest a) {
        long total = src.length();
        deferFlush = true;
        try {
            do {
                if (terminated || a.result.isDone()) {
                    closeQuietly(src);
                    return;
                }
                long inFlight;
                synchronized (flow) {
                    inFlight = bytesInFlight;
                }
                if (inFlight > MAX_BYTES_IN_FLIGHT) {
                    long p = pos;
                    flowResume = () -> writeFragmentsOnLoop(pcid, isCommand, src, max, p, then, a);
                    return;
                }
                int n = (int) Math.min(max, total - pos);
                boolean last = pos + n == total;
                ByteBuf pdu = channel.alloc().directBuffer(12 + n);
                try {
                    PduCodec.encodePduHeader(pdu, 6 + n);
                    pdu.writeInt(n + 2).writeByte(pcid).writeByte((isCommand ? Pdv.COMMAND : 0) | (last ? Pdv.LAST : 0));
                    src.read(pos, pdu, n);
                } catch (IOException | RuntimeException e) {
                    pdu.release();
                    closeQuietly(src);
                    a.result.completeExceptionally(e);
                    abort(); // half a message is on the wire: the association cannot go on
                    return;
                }
                synchronized (flow) {
                    bytesInFlight += pdu.readableBytes();
                }
                fire(Event.Evt9, pdu);
                pos += n;
            } while (pos < total);
        } finally {
            deferFlush = false;
            channel.flush();
        }
        then.run();
    }

    private static void closeQuietly(DataSource d) {
        if (d != null) {
            try {
                d.close();
            } catch (IOException e) {
                log.debug("closing a data source: {}", e.toString());
            }
        }
    }

    /** C-FIND: every pending response's identifier goes to {@code matches}; returns the final response. */
    public DimseResponse cfind(String sopClassUid, Attributes keys, Consumer<Attributes> matches) throws IOException {
        PresentationContext pc = requireContext(sopClassUid, null);
        int id = nextMessageId();
        byte[] ds = DicomWriter.encode(keys, pc.ts());
        return multi(id, () -> writeDimse(pc, Dimse.cFindRq(id, sopClassUid, Dimse.PRIORITY_MEDIUM), DataSource.of(ds)),
                r -> {
                    if (r.dataset() != null) {
                        matches.accept(r.dataset());
                    }
                });
    }

    /** C-MOVE to {@code destination}; every pending response goes to {@code progress}; returns the final response. */
    public DimseResponse cmove(String sopClassUid, Attributes keys, String destination, Consumer<DimseResponse> progress)
            throws IOException {
        PresentationContext pc = requireContext(sopClassUid, null);
        int id = nextMessageId();
        byte[] ds = DicomWriter.encode(keys, pc.ts());
        return multi(id, () -> writeDimse(pc, Dimse.cMoveRq(id, sopClassUid, Dimse.PRIORITY_MEDIUM, destination),
                DataSource.of(ds)), progress);
    }

    /** A-RELEASE: sends A-RELEASE-RQ and waits for the A-RELEASE-RP and the close (Evt11, AR-1 ... AR-3). */
    public void release() throws IOException {
        refuseOnLoop();
        fire(Event.Evt11, null);
        try {
            await(closed, settings.artimTimeout().toMillis() + 1000, "A-RELEASE-RP");
        } catch (AssociationException e) {
            abort(); // no A-RELEASE-RP in time: end it the hard way rather than leave it half released
            throw e;
        }
        IOException f = failure;
        if (f != null) {
            throw f;
        }
    }

    /** A-ABORT from the service user (Evt15); returns once the abort is sent. */
    public void abort() {
        fire(Event.Evt15, null);
    }

    /** The blocking user calls wait for what only the event loop can deliver. */
    private void refuseOnLoop() {
        if (loop().inEventLoop()) {
            throw new IllegalStateException("a blocking association call cannot run on the association's event loop");
        }
    }

    private PresentationContext requireContext(String abstractSyntax, String ts) throws AssociationException {
        PresentationContext pc = findContext(abstractSyntax, ts);
        if (pc == null) {
            throw new AssociationException("no accepted presentation context for " + abstractSyntax);
        }
        return pc;
    }

    private int nextMessageId() {
        return nextMessageId.getAndUpdate(i -> i >= 0xFFFF ? 1 : i + 1);
    }

    private interface Send {
        void run() throws IOException;
    }

    private DimseResponse single(int id, Send send) throws IOException {
        return multi(id, send, r -> { });
    }

    private DimseResponse multi(int id, Send send, Consumer<DimseResponse> pendingResponses) throws IOException {
        refuseOnLoop();
        BlockingQueue<DimseResponse> q = new LinkedBlockingQueue<>();
        pending.put(id, q);
        try {
            send.run();
            long timeout = settings.dimseTimeout().toMillis();
            while (true) {
                DimseResponse r;
                try {
                    r = q.poll(timeout, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for a response");
                }
                if (r == null) {
                    abort();
                    throw new AssociationException("no response within " + timeout + " ms; association aborted");
                }
                if (r == CLOSED) {
                    IOException f = failure;
                    throw new AssociationException("association ended before the response: "
                            + (f != null ? f.getMessage() : "closed"));
                }
                if (Status.isPending(r.status())) {
                    pendingResponses.accept(r);
                    continue;
                }
                return r;
            }
        } finally {
            pending.remove(id);
        }
    }

    static <T> T await(CompletableFuture<T> f, long ms, String what) throws IOException {
        try {
            return f.get(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for " + what);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssociationException("timed out after " + ms + " ms waiting for " + what);
        }
    }

    // used by tests
    Channel channelForTest() {
        return channel;
    }

    Map<Integer, BlockingQueue<DimseResponse>> pendingForTest() {
        return new HashMap<>(pending);
    }
}
