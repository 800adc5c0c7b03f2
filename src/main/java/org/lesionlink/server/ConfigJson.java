package org.lesionlink.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Typed reads of the configuration file's JSON, shared by {@link ServerConfig}, {@link ServerLimits} and
 * {@link SecurityConfig}. A value is named by its dotted path ({@code limits.maxStudyBytes}); the key read is the
 * last part, and every error starts with the whole path, so a bad file is refused naming the key.
 */
final class ConfigJson {

    private ConfigJson() {
    }

    static ObjectNode object(JsonNode n, String name) {
        if (!(n instanceof ObjectNode o)) {
            throw new IllegalArgumentException(name + ": must be a JSON object, got " + n);
        }
        return o;
    }

    /** Refuses keys not in {@code known}, so a typo is not silently ignored. */
    static void keys(ObjectNode o, String name, Collection<String> known) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException(name + ": unknown key '" + k + "' (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    static String text(ObjectNode o, String name, String dflt) {
        JsonNode n = value(o, name);
        if (n == null) {
            return dflt;
        }
        check(n.isTextual(), name, "must be a string, got " + n);
        return n.asText();
    }

    static int integer(ObjectNode o, String name, int dflt) {
        JsonNode n = value(o, name);
        if (n == null) {
            return dflt;
        }
        check(n.isIntegralNumber() && n.canConvertToInt(), name, "must be an integer, got " + n);
        return n.asInt();
    }

    static long longInteger(ObjectNode o, String name, long dflt) {
        JsonNode n = value(o, name);
        if (n == null) {
            return dflt;
        }
        check(n.isIntegralNumber() && n.canConvertToLong(), name, "must be an integer, got " + n);
        return n.asLong();
    }

    static double number(ObjectNode o, String name, double dflt) {
        JsonNode n = value(o, name);
        if (n == null) {
            return dflt;
        }
        check(n.isNumber(), name, "must be a number, got " + n);
        return n.asDouble();
    }

    static boolean bool(ObjectNode o, String name, boolean dflt) {
        JsonNode n = value(o, name);
        if (n == null) {
            return dflt;
        }
        check(n.isBoolean(), name, "must be true or false, got " + n);
        return n.asBoolean();
    }

    static List<String> strings(ObjectNode o, String name, List<String> dflt) {
        JsonNode n = value(o, name);
        if (n == null) {
            return dflt;
        }
        check(n.isArray(), name, "must be an array of strings, got " + n);
        List<String> out = new ArrayList<>();
        n.forEach(e -> {
            check(e.isTextual(), name, "must be an array of strings, got element " + e);
            out.add(e.asText());
        });
        return out;
    }

    static void check(boolean ok, String name, String message) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + message);
        }
    }

    private static JsonNode value(ObjectNode o, String name) {
        return o.get(name.substring(name.lastIndexOf('.') + 1));
    }
}
