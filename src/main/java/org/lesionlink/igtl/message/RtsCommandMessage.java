package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * RTS_COMMAND ("command.md"): the reply to a {@link CommandMessage}, same layout, same command ID
 * and name. PLUS and Slicer put {@code <CommandReply Status="SUCCESS|FAIL" .../>} in the text and metadata
 * {@code Status} = SUCCESS or FAIL.
 *
 * @param commandId unsigned 32-bit
 * @param commandName at most 128 single-byte characters
 * @param encoding IANA MIBenum of {@code command}
 */
public record RtsCommandMessage(Envelope envelope, long commandId, String commandName, int encoding, String command)
        implements IgtlMessage {

    public static final String TYPE = "RTS_COMMAND";

    public RtsCommandMessage {
        Objects.requireNonNull(envelope, "envelope");
        CommandCodec.check(TYPE, commandId, commandName, encoding, command);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RtsCommandMessage withEnvelope(Envelope e) {
        return new RtsCommandMessage(e, commandId, commandName, encoding, command);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        return CommandCodec.write(alloc, commandId, commandName, encoding, command);
    }

    static RtsCommandMessage read(Envelope env, ByteBuf in) {
        CommandCodec.Fields f = CommandCodec.read(TYPE, in);
        return new RtsCommandMessage(env, f.commandId(), f.name(), f.encoding(), f.command());
    }
}
