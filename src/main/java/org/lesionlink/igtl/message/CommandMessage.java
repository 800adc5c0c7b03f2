package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * COMMAND ("command.md", protocol v3): command ID uint32, name char[128], encoding uint16, length uint32,
 * then the command text, usually XML such as {@code <Command Name="StartRecording"/>}. The reply is an
 * {@link RtsCommandMessage} with the same ID and name.
 *
 * @param commandId unsigned 32-bit
 * @param commandName at most 128 single-byte characters
 * @param encoding IANA MIBenum of {@code command}
 */
public record CommandMessage(Envelope envelope, long commandId, String commandName, int encoding, String command)
        implements IgtlMessage {

    public static final String TYPE = "COMMAND";

    public CommandMessage {
        Objects.requireNonNull(envelope, "envelope");
        CommandCodec.check(TYPE, commandId, commandName, encoding, command);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public CommandMessage withEnvelope(Envelope e) {
        return new CommandMessage(e, commandId, commandName, encoding, command);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        return CommandCodec.write(alloc, commandId, commandName, encoding, command);
    }

    static CommandMessage read(Envelope env, ByteBuf in) {
        CommandCodec.Fields f = CommandCodec.read(TYPE, in);
        return new CommandMessage(env, f.commandId(), f.name(), f.encoding(), f.command());
    }
}
