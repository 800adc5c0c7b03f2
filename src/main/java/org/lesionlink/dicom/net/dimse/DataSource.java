package org.lesionlink.dicom.net.dimse;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A data set to send, already encoded in the presentation context's transfer syntax. The association reads it
 * fragment by fragment straight into each outgoing PDU buffer, so a file is never held in memory as a whole.
 */
public interface DataSource extends AutoCloseable {

    long length();

    /** Appends {@code length} bytes starting at {@code position} to {@code dst}. */
    void read(long position, ByteBuf dst, int length) throws IOException;

    @Override
    default void close() throws IOException {
    }

    static DataSource of(byte[] bytes) {
        return new DataSource() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void read(long position, ByteBuf dst, int length) {
                dst.writeBytes(bytes, (int) position, length);
            }
        };
    }

    /** {@code length} bytes of {@code file} from {@code offset} (e.g. the data set after a Part 10 meta header). */
    static DataSource ofFile(Path file, long offset, long length) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        return new DataSource() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void read(long position, ByteBuf dst, int n) throws IOException {
                int done = 0;
                while (done < n) {
                    int r = dst.writeBytes(ch, offset + position + done, n - done);
                    if (r < 0) {
                        throw new IOException(file + " ended early");
                    }
                    done += r;
                }
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}
