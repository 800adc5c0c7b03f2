package org.lesionlink.dicom.net;

import java.util.EnumMap;
import java.util.Map;

/**
 * The state transition table of the Upper Layer protocol machine, PS3.8 section 9.2.3 (Table 9-10), as data: one row
 * per event, one column per state Sta1..Sta13, "-" where the standard has no entry. The next state is decided by the
 * action (PS3.8 Tables 9-6 to 9-9; AE-6 and AR-8 have two outcomes).
 */
public final class TransitionTable {

    //                 Sta1   Sta2   Sta3   Sta4   Sta5   Sta6   Sta7   Sta8   Sta9   Sta10  Sta11  Sta12  Sta13
    private static final String[] ROWS = {
        "Evt1          AE-1   -      -      -      -      -      -      -      -      -      -      -      -    ",
        "Evt2          -      -      -      AE-2   -      -      -      -      -      -      -      -      -    ",
        "Evt3          -      AA-1   AA-8   -      AE-3   AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-6 ",
        "Evt4          -      AA-1   AA-8   -      AE-4   AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-6 ",
        "Evt5          AE-5   -      -      -      -      -      -      -      -      -      -      -      -    ",
        "Evt6          -      AE-6   AA-8   -      AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-7 ",
        "Evt7          -      -      AE-7   -      -      -      -      -      -      -      -      -      -    ",
        "Evt8          -      -      AE-8   -      -      -      -      -      -      -      -      -      -    ",
        "Evt9          -      -      -      -      -      DT-1   -      AR-7   -      -      -      -      -    ",
        "Evt10         -      AA-1   AA-8   -      AA-8   DT-2   AR-6   AA-8   AA-8   AA-8   AA-8   AA-8   AA-6 ",
        "Evt11         -      -      -      -      -      AR-1   -      -      -      -      -      -      -    ",
        "Evt12         -      AA-1   AA-8   -      AA-8   AR-2   AR-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-6 ",
        "Evt13         -      AA-1   AA-8   -      AA-8   AA-8   AR-3   AA-8   AA-8   AR-10  AR-3   AA-8   AA-6 ",
        "Evt14         -      -      -      -      -      -      -      AR-4   AR-9   -      -      AR-4   -    ",
        "Evt15         -      -      AA-1   AA-2   AA-1   AA-1   AA-1   AA-1   AA-1   AA-1   AA-1   AA-1   -    ",
        "Evt16         -      AA-2   AA-3   -      AA-3   AA-3   AA-3   AA-3   AA-3   AA-3   AA-3   AA-3   AA-2 ",
        "Evt17         -      AA-5   AA-4   AA-4   AA-4   AA-4   AA-4   AA-4   AA-4   AA-4   AA-4   AA-4   AR-5 ",
        "Evt18         -      AA-2   -      -      -      -      -      -      -      -      -      -      AA-2 ",
        "Evt19         -      AA-1   AA-8   -      AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-8   AA-7 ",
    };

    private static final Map<Event, Map<State, Action>> TABLE = parse();

    private TransitionTable() {
    }

    /** The action for {@code event} in {@code state}, or {@code null} where the table has no entry. */
    public static Action action(Event event, State state) {
        return TABLE.get(event).get(state);
    }

    /** Number of (event, state) cells with an action: what the tests check against the standard. */
    public static int entries() {
        return TABLE.values().stream().mapToInt(Map::size).sum();
    }

    private static Map<Event, Map<State, Action>> parse() {
        Map<Event, Map<State, Action>> t = new EnumMap<>(Event.class);
        State[] states = State.values();
        for (String row : ROWS) {
            String[] f = row.trim().split("\\s+");
            if (f.length != 1 + states.length) {
                throw new IllegalStateException("transition table row has " + f.length + " fields: " + row);
            }
            Map<State, Action> m = new EnumMap<>(State.class);
            for (int i = 0; i < states.length; i++) {
                if (!f[i + 1].equals("-")) {
                    m.put(states[i], Action.valueOf(f[i + 1].replace('-', '_')));
                }
            }
            if (t.put(Event.valueOf(f[0]), m) != null) {
                throw new IllegalStateException("duplicate row " + f[0]);
            }
        }
        if (t.size() != Event.values().length) {
            throw new IllegalStateException("transition table lacks events");
        }
        return t;
    }
}
