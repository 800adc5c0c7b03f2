package org.lesionlink.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code lesionlink}: dispatches to one command class per verb. */
@Command(
        name = "lesionlink",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Segmentation of brain and spinal metastases, served over OpenIGTLink and DICOM.",
        subcommands = {
            InfoCommand.class,
            ResampleCommand.class,
            PhantomCommand.class,
            DicomToNiftiCommand.class,
            EvaluateCommand.class,
            TrainCommand.class,
            FinetuneCommand.class,
            StudyCommand.class,
            AblationPlanCommand.class,
            SegmentCommand.class,
            ModelsCommand.class,
            ImportNnUNetCommand.class,
            TunePostprocessingCommand.class,
            EchoCommand.class,
            StoreCommand.class,
            StoreScpCommand.class,
            ServeCommand.class,
            IgtlEchoCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    /** Exit code for bad input or a failed operation (usage errors get picocli's 2). */
    public static final int EXIT_FAILURE = 1;

    static {
        // DJL must never reach for the network: set before any DJL class can load.
        System.setProperty("ai.djl.offline", "true");
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line in-process (also used by tests); returns the exit code. */
    public static int run(String... args) {
        CommandLine alone = args.length > 0 ? alone(args[0]) : null;
        if (alone != null) {
            return alone.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        return commandLine().execute(args);
    }

    /**
     * {@code store} or {@code echo} without the other commands, or null for any other word: picocli builds the model of
     * every command it is given by reflection (about 0.5 s of a cold start), longer than these short client commands'
     * own work. Same options, output, messages and exit codes as within {@link #commandLine()} (MainTest compares).
     */
    static CommandLine alone(String command) {
        Object c = switch (command) {
            case "store" -> new StoreCommand();
            case "echo" -> new EchoCommand();
            default -> null;
        };
        return c == null ? null : withErrorHandler(new CommandLine(c).setCommandName("lesionlink " + command));
    }

    static CommandLine commandLine() {
        return withErrorHandler(new CommandLine(new Main()));
    }

    private static CommandLine withErrorHandler(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            // Known failures are reported as one line naming the problem; a stack trace only on request.
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + describe(ex));
            if (Boolean.getBoolean("lesionlink.debug")) {
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_FAILURE;
        });
        return cl;
    }

    private static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        if (ex instanceof java.nio.file.NoSuchFileException) {
            msg = "no such file: " + msg;
        }
        return msg;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lesionlink " + (v == null ? "dev" : v)};
        }
    }
}
