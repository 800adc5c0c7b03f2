package org.lesionlink.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.HashMap;
import java.util.Map;
import org.lesionlink.security.LogRedaction;

/**
 * Logback set up in code, the same configuration as {@code logback.xml} (which stays as its readable form and as the
 * fallback): parsing the XML (Joran, SAX, ~400 classes) cost ~0.3 s of CPU at every start, as much as the rest of
 * the start-up of a short command such as {@code lesionlink store}. Found by logback through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}. Steps aside (and lets logback read XML as
 * usual) when {@code -Dlogback.configurationFile} is given or a {@code logback-test.xml} is on the class path.
 *
 * <p>UIDs in messages and stack traces are replaced by pseudonyms ({@link LogRedaction}). Logs go to stderr, so that stdout stays clean for machine-readable output; io.netty and ai.djl at WARN,
 * ai.djl.util.cuda at ERROR ("Failed to detect GPU count" is expected on CPU-only machines); the root level from
 * {@code -Dlesionlink.log.level}, INFO by default.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%nopex%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %phi(%msg%n%ex)";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfiguration.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // %phi: UIDs in messages and stack traces become pseudonyms, as logback.xml's conversion rule says
        @SuppressWarnings("unchecked")
        Map<String, String> rules = (Map<String, String>) context.getObject(CoreConstants.PATTERN_RULE_REGISTRY);
        if (rules == null) {
            rules = new HashMap<>();
            context.putObject(CoreConstants.PATTERN_RULE_REGISTRY, rules);
        }
        rules.put("phi", LogRedaction.class.getName());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("ai.djl").setLevel(Level.WARN);
        context.getLogger("ai.djl.util.cuda").setLevel(Level.ERROR);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("lesionlink.log.level", "INFO"), Level.INFO));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
