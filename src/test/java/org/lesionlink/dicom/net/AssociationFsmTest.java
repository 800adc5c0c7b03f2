package org.lesionlink.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.net.pdu.AAbort;
import org.lesionlink.dicom.net.pdu.AAssociateAc;
import org.lesionlink.dicom.net.pdu.AAssociateRj;
import org.lesionlink.dicom.net.pdu.AAssociateRq;
import org.lesionlink.dicom.net.pdu.AReleaseRp;
import org.lesionlink.dicom.net.pdu.AReleaseRq;
import org.lesionlink.dicom.net.pdu.PDataTf;
import org.lesionlink.dicom.net.pdu.Pdu;
import org.lesionlink.dicom.net.pdu.PduDecoder;
import org.lesionlink.dicom.net.pdu.PduEncoder;
import org.lesionlink.dicom.net.pdu.PresentationContextAc;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;
import org.lesionlink.dicom.net.pdu.UserInformation;

/**
 * The PS3.8 protocol machine driven PDU by PDU through the real pipeline (decoder, encoder, handler) in an
 * {@link EmbeddedChannel} with frozen time, one nested class per group of states, checking each transition taken
 * (state + event -> action -> state) and the PDUs sent.
 */
class AssociationFsmTest {

    static final AssociationSettings SETTINGS = AssociationSettings.of("LESIONLINK").withMaxPduLength(16384);

    static AAssociateRq rq(String called, String calling, int version, String appContext) {
        return new AAssociateRq(version, called, calling, appContext, List.of(
                new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian),
                new PresentationContextRq(3, "1.2.3.4.5.6.7", UID.ImplicitVRLittleEndian),
                new PresentationContextRq(5, UID.MRImageStorage, UID.JPEGLSLossless),
                new PresentationContextRq(7, UID.MRImageStorage, UID.ExplicitVRBigEndian, UID.ImplicitVRLittleEndian,
                        UID.ExplicitVRLittleEndian)),
                new UserInformation(16384, "1.2.3", "PEER"));
    }

    static AAssociateRq rq() {
        return rq("LESIONLINK", "PEER", 1, AAssociateRq.DICOM_APPLICATION_CONTEXT);
    }

    /** One association in an EmbeddedChannel: PDUs in as bytes, PDUs out decoded from the bytes written. */
    static final class Harness {
        final EmbeddedChannel ch;
        final Association as;

        Harness(Association.Role role, AcceptorPolicy policy, AtomicInteger admitted) throws Exception {
            ch = new EmbeddedChannel(false, false);
            ch.freezeTime();
            PduDecoder decoder = new PduDecoder();
            as = new Association(role, ch, SETTINGS, policy, null, Runnable::run, admitted, decoder);
            ch.pipeline().addLast(decoder, PduEncoder.INSTANCE, new AssociationHandler(as));
            ch.register();
        }

        static Harness acceptor() throws Exception {
            return new Harness(Association.Role.ACCEPTOR, AcceptorPolicy.defaults(), new AtomicInteger());
        }

        void in(Pdu pdu) {
            EmbeddedChannel enc = new EmbeddedChannel(PduEncoder.INSTANCE);
            enc.writeOutbound(pdu);
            for (Object o; (o = enc.readOutbound()) != null; ) {
                ch.writeInbound(o);
            }
            enc.finish();
        }

        void in(byte[] bytes) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        }

        /** The PDUs written since the last call. */
        List<Pdu> out() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (Object o; (o = ch.readOutbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                bytes.writeBytes(ByteBufUtil.getBytes(b));
                b.release();
            }
            EmbeddedChannel dec = new EmbeddedChannel(new PduDecoder());
            dec.writeInbound(Unpooled.wrappedBuffer(bytes.toByteArray()));
            List<Pdu> pdus = new ArrayList<>();
            for (Object o; (o = dec.readInbound()) != null; ) {
                pdus.add((Pdu) o);
            }
            assertFalse(dec.finish());
            return pdus;
        }

        Pdu onlyOut() {
            List<Pdu> o = out();
            assertEquals(1, o.size(), o.toString());
            return o.get(0);
        }

        String last() {
            List<String> t = as.transitions();
            return t.get(t.size() - 1);
        }

        void artimExpires() {
            ch.advanceTimeBy(SETTINGS.artimTimeout().toMillis() + 1, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }

        void finish() {
            ch.finishAndReleaseAll();
        }
    }

    @Nested
    class Establishment {

        @Test
        void sta1ToSta2ToSta3ToSta6AnswersEveryContext() throws Exception {
            Harness h = Harness.acceptor();
            assertEquals("Sta1 + Evt5 -> AE-5 -> Sta2", h.last());
            h.in(rq());
            assertEquals(List.of("Sta1 + Evt5 -> AE-5 -> Sta2", "Sta2 + Evt6 -> AE-6 -> Sta3", "Sta3 + Evt7 -> AE-7 -> Sta6"),
                    h.as.transitions());
            AAssociateAc ac = assertInstanceOf(AAssociateAc.class, h.onlyOut());
            assertEquals(List.of(new PresentationContextAc(1, 0, UID.ImplicitVRLittleEndian),
                    new PresentationContextAc(3, 3, UID.ImplicitVRLittleEndian),
                    new PresentationContextAc(5, 4, UID.ImplicitVRLittleEndian),
                    new PresentationContextAc(7, 0, UID.ExplicitVRLittleEndian)), ac.presentationContexts());
            assertEquals(16384, ac.userInformation().maxLength());
            assertEquals(SETTINGS.implementationClassUid(), ac.userInformation().implementationClassUid());
            assertTrue(ac.userInformation().implementationClassUid().startsWith("2.25."));
            assertEquals("PEER", ac.callingAeTitle());
            assertEquals(2, h.as.presentationContexts().size());
            assertTrue(h.as.established().isDone());
            h.finish();
        }

        @Test
        void artimExpiresWithoutRqAndClosesTheConnection() throws Exception {
            Harness h = Harness.acceptor();
            h.artimExpires();
            assertEquals("Sta2 + Evt18 -> AA-2 -> Sta1", h.last());
            assertFalse(h.ch.isOpen());
            h.finish();
        }

        @Test
        void rejectionsCarryTheStandardResultSourceAndReason() throws Exception {
            AcceptorPolicy strict = AcceptorPolicy.defaults().withCheckCalledAe(true)
                    .withCallingAeFilter((calling, called, remote) -> !calling.equals("INTRUDER"));
            record Case(AAssociateRq rq, AAssociateRj rj) { }
            for (Case c : List.of(
                    new Case(rq("SOMEONE", "PEER", 1, AAssociateRq.DICOM_APPLICATION_CONTEXT), new AAssociateRj(1, 1, 7)),
                    new Case(rq("LESIONLINK", "INTRUDER", 1, AAssociateRq.DICOM_APPLICATION_CONTEXT), new AAssociateRj(1, 1, 3)),
                    new Case(rq("LESIONLINK", "PEER", 1, "1.2.3.4"), new AAssociateRj(1, 1, 2)),
                    new Case(rq("LESIONLINK", "PEER", 2, AAssociateRq.DICOM_APPLICATION_CONTEXT), new AAssociateRj(1, 2, 2)))) {
                Harness h = new Harness(Association.Role.ACCEPTOR, strict, new AtomicInteger());
                h.in(c.rq());
                assertEquals(c.rj(), h.onlyOut(), c.toString());
                assertEquals(State.Sta13, h.as.state());
                assertTrue(h.ch.isOpen(), "after A-ASSOCIATE-RJ we wait for the peer to close (ARTIM)");
                h.artimExpires();
                assertEquals("Sta13 + Evt18 -> AA-2 -> Sta1", h.last());
                assertFalse(h.ch.isOpen());
                h.finish();
            }
        }

        @Test
        void associationLimitRejectsTransientAndFreesItsSlotOnClose() throws Exception {
            AtomicInteger admitted = new AtomicInteger();
            AcceptorPolicy one = AcceptorPolicy.defaults().withMaxAssociations(1);
            Harness first = new Harness(Association.Role.ACCEPTOR, one, admitted);
            first.in(rq());
            assertInstanceOf(AAssociateAc.class, first.onlyOut());
            Harness second = new Harness(Association.Role.ACCEPTOR, one, admitted);
            second.in(rq());
            assertEquals(new AAssociateRj(2, 3, 2), second.onlyOut());
            assertEquals("Sta2 + Evt6 -> AE-6 -> Sta13", second.last());
            first.ch.close();
            assertEquals("Sta6 + Evt17 -> AA-4 -> Sta1", first.last());
            assertEquals(0, admitted.get());
            Harness third = new Harness(Association.Role.ACCEPTOR, one, admitted);
            third.in(rq());
            assertInstanceOf(AAssociateAc.class, third.onlyOut());
            first.finish();
            second.finish();
            third.finish();
        }

        @Test
        void pduOtherThanRqInSta2IsAbortedAndHttpIsUnrecognized() throws Exception {
            Harness h = Harness.acceptor();
            h.in(AReleaseRq.INSTANCE);
            assertEquals("Sta2 + Evt12 -> AA-1 -> Sta13", h.last());
            assertEquals(new AAbort(2, 2), h.onlyOut());
            h.finish();

            Harness http = Harness.acceptor();
            http.in("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("Sta2 + Evt19 -> AA-1 -> Sta13", http.last());
            assertEquals(new AAbort(2, 1), http.onlyOut());
            http.artimExpires();
            assertFalse(http.ch.isOpen());
            http.finish();
        }
    }

    @Nested
    class DataTransferAndAbort {

        Harness established() throws Exception {
            Harness h = Harness.acceptor();
            h.in(rq());
            h.out();
            return h;
        }

        @Test
        void aPDataLongerThanOurMaximumIsAbortedWithReason6() throws Exception {
            Harness h = established();
            byte[] big = new byte[6 + 16385];
            big[0] = 4;
            big[4] = 0x40;
            big[5] = 0x01; // length 16385 > 16384
            h.in(java.util.Arrays.copyOf(big, 6));
            assertEquals("Sta6 + Evt19 -> AA-8 -> Sta13", h.last());
            assertEquals(new AAbort(2, 6), h.onlyOut());
            h.in(AReleaseRq.INSTANCE); // ignored: the decoder discards everything after a framing error
            assertEquals(State.Sta13, h.as.state());
            h.ch.close();
            assertEquals("Sta13 + Evt17 -> AR-5 -> Sta1", h.last());
            h.finish();
        }

        @Test
        void aPdvOnAContextThatWasNotAcceptedIsAborted() throws Exception {
            Harness h = established();
            h.in(PDataTf.of(3, 0x03, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0})));
            assertEquals("Sta6 + Evt19 -> AA-8 -> Sta13", h.last());
            assertEquals(new AAbort(2, 5), h.onlyOut());
            h.finish();
        }

        @Test
        void abortFromThePeerClosesAtOnce() throws Exception {
            Harness h = established();
            h.in(new AAbort(0, 0));
            assertEquals("Sta6 + Evt16 -> AA-3 -> Sta1", h.last());
            assertFalse(h.ch.isOpen());
            assertNotNull(h.as.failure());
            assertEquals(new AAbort(0, 0), ((AssociationException) h.as.failure()).abort());
            h.finish();
        }

        @Test
        void abortByTheLocalUserSendsSourceUser() throws Exception {
            Harness h = established();
            h.as.abort();
            assertEquals("Sta6 + Evt15 -> AA-1 -> Sta13", h.last());
            assertEquals(new AAbort(0, 0), h.onlyOut());
            // the peer may still send something before it closes: ignored (AA-6); an RQ gets A-ABORT (AA-7)
            h.in(AReleaseRq.INSTANCE);
            assertEquals("Sta13 + Evt12 -> AA-6 -> Sta13", h.last());
            h.in(rq());
            assertEquals("Sta13 + Evt6 -> AA-7 -> Sta13", h.last());
            assertEquals(new AAbort(2, 2), h.onlyOut());
            h.artimExpires();
            assertEquals("Sta13 + Evt18 -> AA-2 -> Sta1", h.last());
            h.finish();
        }

        @Test
        void unexpectedPdusInSta6AreAbortedByTheProvider() throws Exception {
            for (Pdu p : List.of(rq(), AReleaseRp.INSTANCE, new AAssociateRj(1, 1, 1))) {
                Harness h = established();
                h.in(p);
                assertTrue(h.last().endsWith("-> AA-8 -> Sta13"), h.last());
                assertEquals(new AAbort(2, 2), h.onlyOut());
                h.finish();
            }
        }

        @Test
        void connectionLossIsAnAPAbort() throws Exception {
            Harness h = established();
            h.ch.close();
            assertEquals("Sta6 + Evt17 -> AA-4 -> Sta1", h.last());
            assertTrue(h.as.closed().isDone() || h.as.closed().get(1, TimeUnit.SECONDS) == null);
            h.finish();
        }
    }

    @Nested
    class Release {

        @Test
        void peerReleaseIsAnsweredAndArtimWaitsForTheClose() throws Exception {
            Harness h = Harness.acceptor();
            h.in(rq());
            h.out();
            h.in(AReleaseRq.INSTANCE);
            List<String> t = h.as.transitions();
            assertEquals(List.of("Sta6 + Evt12 -> AR-2 -> Sta8", "Sta8 + Evt14 -> AR-4 -> Sta13"), t.subList(t.size() - 2, t.size()));
            assertEquals(AReleaseRp.INSTANCE, h.onlyOut());
            assertTrue(h.ch.isOpen());
            h.ch.close();
            assertEquals("Sta13 + Evt17 -> AR-5 -> Sta1", h.last());
            assertEquals(null, h.as.failure());
            h.finish();
        }

        @Test
        void collisionOnTheAcceptorSideSta7Sta10Sta12() throws Exception {
            Harness h = Harness.acceptor();
            h.in(rq());
            h.out();
            h.as.fire(Event.Evt11, null); // our A-RELEASE request
            assertEquals(AReleaseRq.INSTANCE, h.onlyOut());
            h.in(AReleaseRq.INSTANCE); // the peer's, crossing ours
            assertEquals("Sta7 + Evt12 -> AR-8 -> Sta10", h.last());
            assertTrue(h.out().isEmpty(), "the acceptor waits for the requestor's A-RELEASE-RP first");
            h.in(AReleaseRp.INSTANCE);
            List<String> t = h.as.transitions();
            assertEquals(List.of("Sta10 + Evt13 -> AR-10 -> Sta12", "Sta12 + Evt14 -> AR-4 -> Sta13"),
                    t.subList(t.size() - 2, t.size()));
            assertEquals(AReleaseRp.INSTANCE, h.onlyOut());
            h.finish();
        }

        @Test
        void collisionOnTheRequestorSideSta7Sta9Sta11() throws Exception {
            Harness h = new Harness(Association.Role.REQUESTOR, null, null);
            h.as.request(new InetSocketAddress("127.0.0.1", 104), rq());
            assertEquals("Sta1 + Evt1 -> AE-1 -> Sta4", h.last());
            h.as.fire(Event.Evt2, null); // the embedded transport connects at once
            assertEquals("Sta4 + Evt2 -> AE-2 -> Sta5", h.last());
            assertInstanceOf(AAssociateRq.class, h.onlyOut());
            h.in(new AAssociateAc(1, "LESIONLINK", "PEER", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                    List.of(new PresentationContextAc(1, 0, UID.ImplicitVRLittleEndian)), new UserInformation(4096, "1.2", null)));
            assertEquals("Sta5 + Evt3 -> AE-3 -> Sta6", h.last());
            assertEquals(4096, h.as.peerMaxPduLength());
            assertEquals(4090, h.as.maxFragment());
            h.as.fire(Event.Evt11, null);
            assertEquals(AReleaseRq.INSTANCE, h.onlyOut());
            h.in(AReleaseRq.INSTANCE);
            List<String> t = h.as.transitions();
            assertEquals(List.of("Sta7 + Evt12 -> AR-8 -> Sta9", "Sta9 + Evt14 -> AR-9 -> Sta11"), t.subList(t.size() - 2, t.size()));
            assertEquals(AReleaseRp.INSTANCE, h.onlyOut(), "the requestor answers the collision first");
            h.in(AReleaseRp.INSTANCE);
            assertEquals("Sta11 + Evt13 -> AR-3 -> Sta1", h.last());
            assertFalse(h.ch.isOpen());
            h.finish();
        }

        @Test
        void requestorRejectedGoesBackToSta1() throws Exception {
            Harness h = new Harness(Association.Role.REQUESTOR, null, null);
            h.as.request(new InetSocketAddress("127.0.0.1", 104), rq());
            h.as.fire(Event.Evt2, null);
            h.out();
            h.in(new AAssociateRj(1, 1, 7));
            assertEquals("Sta5 + Evt4 -> AE-4 -> Sta1", h.last());
            assertTrue(h.as.established().isCompletedExceptionally());
            h.finish();
        }
    }

    @Nested
    class Table {

        @Test
        void hasTheEntriesOfPs38Table910() {
            // per event: number of states with an action, as in PS3.8 Table 9-10
            int[] perEvent = {1, 1, 11, 11, 1, 11, 1, 1, 2, 11, 1, 11, 11, 3, 10, 11, 12, 2, 11};
            int total = 0;
            for (Event e : Event.values()) {
                int n = 0;
                for (State s : State.values()) {
                    if (TransitionTable.action(e, s) != null) {
                        n++;
                    }
                }
                assertEquals(perEvent[e.ordinal()], n, e.toString());
                total += n;
            }
            assertEquals(total, TransitionTable.entries());
            Set<Action> used = EnumSet.noneOf(Action.class);
            for (Event e : Event.values()) {
                for (State s : State.values()) {
                    Action a = TransitionTable.action(e, s);
                    if (a != null) {
                        used.add(a);
                    }
                }
            }
            assertEquals(EnumSet.allOf(Action.class), used, "every action of PS3.8 appears in the table");
            assertEquals(Action.AR_8, TransitionTable.action(Event.Evt12, State.Sta7));
            assertEquals(Action.AA_2, TransitionTable.action(Event.Evt15, State.Sta4));
            assertEquals(Action.AR_5, TransitionTable.action(Event.Evt17, State.Sta13));
            assertEquals(Action.AA_7, TransitionTable.action(Event.Evt19, State.Sta13));
        }
    }
}
