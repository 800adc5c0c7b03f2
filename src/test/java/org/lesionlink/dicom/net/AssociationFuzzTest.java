package org.lesionlink.dicom.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.io.DicomException;
import org.lesionlink.dicom.net.dimse.CEchoScp;
import org.lesionlink.dicom.net.dimse.DataSetSink;
import org.lesionlink.dicom.net.dimse.DicomService;
import org.lesionlink.dicom.net.dimse.DicomServiceException;
import org.lesionlink.dicom.net.dimse.DicomServiceRegistry;
import org.lesionlink.dicom.net.dimse.MemorySink;
import org.lesionlink.dicom.net.dimse.Status;
import org.lesionlink.dicom.net.pdu.Pdu;
import org.lesionlink.dicom.net.pdu.PduDecoder;
import org.lesionlink.testing.FuzzChecks;

/**
 * Fuzzes a whole acceptor, the pipeline {@link DicomServer#initAcceptor} builds (PDU decoder, encoder,
 * {@link AssociationHandler}, {@link Association} with C-ECHO and a C-STORE that parses each data set in memory),
 * on a real event loop and worker thread over Netty's in-VM transport ({@link LocalChannel}: no sockets, so
 * thousands of associations a second). Each input goes to two acceptors: one with a worker pool, one whose services
 * run on the event loop (the server's default, no worker pool). The input is what a calling SCU sends, cut into reads at fuzzer-chosen sizes;
 * then the SCU closes. Property: no exception reaches the end of the pipeline (the event loop), and no association
 * worker task fails (an exception there would leave the request unanswered; {@link SerialExecutor} only logs it,
 * so the test listens to that log); what LesionLink
 * answers is a sequence of well-formed PDUs; once the connection is closed and the threads are idle, every inbound
 * buffer has been released (P-DATA fragments included). Seeds: the SCU side of captured associations
 * (fixtures/dicom-pdu/*.scu-to-scp.bin). Allocation is bounded by {@link org.lesionlink.dicom.net.pdu.PduStreamFuzzTest}
 * for the decoder; here the work spreads over threads, where per-thread allocation cannot be attributed.
 */
class AssociationFuzzTest {

    private static final EventLoopGroup LOOP = new DefaultEventLoopGroup(1);
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-association-worker");
        t.setDaemon(true);
        return t;
    });
    private static final LocalAddress WITH_POOL = new LocalAddress("association-fuzz");
    private static final LocalAddress ON_LOOP = new LocalAddress("association-fuzz-on-loop");
    private static final LinkedBlockingQueue<Channel> ACCEPTED = new LinkedBlockingQueue<>();
    private static final Queue<Throwable> REACHED_TAIL = new ConcurrentLinkedQueue<>();
    private static final DicomServerConfig CONFIG = DicomServerConfig.of("LESIONLINK", 0)
            .withPolicy(AcceptorPolicy.defaults()
                    .withPresentationContexts(PresentationContextPolicy.defaults().withAcceptAnyStorage(true)));
    private static final DicomServiceRegistry REGISTRY = new DicomServiceRegistry().register(new CEchoScp())
            .setStorageFallback(new MemoryStore());

    static {
        // SerialExecutor logs a failed worker task with its exception; every such event is a finding.
        ch.qos.logback.classic.Logger serial = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SerialExecutor.class);
        ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> failedTasks = new ch.qos.logback.core.AppenderBase<>() {
            @Override
            protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
                if (e.getThrowableProxy() != null) {
                    REACHED_TAIL.add(new AssertionError(e.getFormattedMessage() + ": " + e.getThrowableProxy().getClassName()
                            + ": " + e.getThrowableProxy().getMessage()));
                }
            }
        };
        failedTasks.start();
        serial.addAppender(failedTasks);
        acceptor(WITH_POOL, WORKER);
        acceptor(ON_LOOP, null);
    }

    private static void acceptor(LocalAddress address, ExecutorService workers) {
        new ServerBootstrap().group(LOOP).channel(LocalServerChannel.class).childHandler(new ChannelInitializer<LocalChannel>() {
            @Override
            protected void initChannel(LocalChannel ch) {
                DicomServer.initAcceptor(ch, CONFIG, REGISTRY, workers, new AtomicInteger());
                ch.pipeline().addLast("tail-recorder", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        REACHED_TAIL.add(cause);
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        REACHED_TAIL.add(new AssertionError("the association passed on " + msg));
                    }
                });
                ACCEPTED.add(ch);
            }
        }).bind(address).syncUninterruptibly();
    }

    @FuzzTest
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void acceptor(byte[] data) throws Exception {
        acceptorAt(WITH_POOL, data);
        acceptorAt(ON_LOOP, data);
    }

    private static void acceptorAt(LocalAddress address, byte[] data) throws Exception {
        List<ByteBuf> reads = FuzzChecks.chunks(data);
        ByteArrayOutputStream answered = new ByteArrayOutputStream();
        Channel client = new Bootstrap().group(LOOP).channel(LocalChannel.class).handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                synchronized (answered) {
                    answered.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(b));
                }
                b.release();
            }
        }).connect(address).sync().channel();
        Channel server = ACCEPTED.poll(5, TimeUnit.SECONDS);
        assertTrue(server != null, "no server channel");
        for (ByteBuf b : reads) {
            client.writeAndFlush(b).await(); // fails (and releases b) once LesionLink has closed the connection
        }
        client.close().sync();
        server.closeFuture().sync();
        for (int i = 0; i < 3; i++) { // the association may hand work between loop and worker while closing
            LOOP.submit(() -> { }).sync();
            WORKER.submit(() -> { }).get();
        }
        Throwable t = REACHED_TAIL.poll();
        if (t != null) {
            REACHED_TAIL.clear();
            throw new AssertionError("reached the end of the pipeline or failed a worker task ("
                    + (address == ON_LOOP ? "services on the event loop" : "worker pool") + "): " + t, t);
        }
        FuzzChecks.assertReleased(reads);
        EmbeddedChannel check = new EmbeddedChannel(new PduDecoder());
        synchronized (answered) {
            check.writeInbound(Unpooled.wrappedBuffer(answered.toByteArray()));
        }
        for (Object o; (o = check.readInbound()) != null;) {
            assertInstanceOf(Pdu.class, o);
            ReferenceCountUtil.release(o);
        }
        assertFalse(check.finish(), "LesionLink's answer ends in the middle of a PDU");
    }

    /** C-STORE into memory: parses the data set (so the dataset parser runs on fuzzed data too) and drops it. */
    private static final class MemoryStore implements DicomService {
        @Override
        public Set<String> sopClasses() {
            return PresentationContextPolicy.DEFAULT_STORAGE;
        }

        @Override
        public void onRequest(Association as, PresentationContext pc, Attributes rq, DataSetSink data, Attributes rsp)
                throws IOException {
            if (!(data instanceof MemorySink m)) {
                throw new DicomServiceException(Status.CANNOT_UNDERSTAND, "C-STORE-RQ without data set");
            }
            try {
                m.readAndRelease(pc.ts(), "fuzz");
            } catch (DicomException e) {
                throw new DicomServiceException(Status.CANNOT_UNDERSTAND, e.getMessage(), e);
            }
        }
    }
}
