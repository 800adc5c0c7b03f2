package org.lesionlink.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a {@code lesionlink} command line in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return run(Main.commandLine(), args);
    }

    /** {@code args[0]} (store or echo) as {@link Main#run} runs it: alone, without the other commands. */
    static CliRun alone(String... args) {
        return run(Main.alone(args[0]), java.util.Arrays.copyOfRange(args, 1, args.length));
    }

    private static CliRun run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
