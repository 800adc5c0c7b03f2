/**
 * OpenIGTLink protocol core (protocol documents {@code Documents/Protocol/*.md} of the OpenIGTLink
 * project; header versions 1 and 2, i.e. protocol v1 to v3), independent of the server.
 *
 * <p>Pipeline, one stage per concern:
 * <pre>
 * socket -> {@link org.lesionlink.igtl.IgtlFrameDecoder}   (per channel) bytes -> IgtlFrame | IgtlDecodeFailure
 *        -> {@link org.lesionlink.igtl.IgtlMessageDecoder} (sharable)  IgtlFrame -> IgtlMessage | IgtlDecodeFailure
 *        <- {@link org.lesionlink.igtl.IgtlMessageEncoder} (sharable)  IgtlMessage -> ByteBuf
 *        -- {@link org.lesionlink.igtl.IgtlVersionTracker} (sharable)  header-version negotiation per peer
 *        -> application handlers
 * </pre>
 *
 * Bad input never throws and never closes the connection: it becomes an
 * {@link org.lesionlink.igtl.IgtlDecodeFailure} in the message's place, and the stream stays framed.
 * {@link org.lesionlink.igtl.IgtlCodec} does the same work without Netty channels (files, tools).
 * The message model is in {@link org.lesionlink.igtl.message}.
 */
package org.lesionlink.igtl;
