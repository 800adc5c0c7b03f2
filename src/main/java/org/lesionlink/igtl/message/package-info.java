/**
 * The OpenIGTLink message model: a sealed {@link org.lesionlink.igtl.message.IgtlMessage} with one
 * immutable record per message type, named after the type strings of the protocol documents (IMAGE,
 * TRANSFORM, POSITION/QTRANS, TDATA, QTDATA, STATUS, STRING, COMMAND, RTS_COMMAND, CAPABILITY, IMGMETA,
 * LBMETA, COLORT, POINT, POLYDATA, NDARRAY, the GET_/STT_/STP_/RTS_ queries) and
 * {@link org.lesionlink.igtl.message.UnknownMessage} for everything else. Each record carries an
 * {@link org.lesionlink.igtl.message.Envelope} (device name, timestamp, header version, v3 message ID and
 * metadata), encodes its own content and decodes it in a package-private {@code read}.
 *
 * <p>Depends only on Netty buffers and, for IMAGE geometry, on {@code org.lesionlink.image}.
 */
package org.lesionlink.igtl.message;
