package org.lesionlink.dicom.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The value of an SQ element: zero or more items, each a nested data set, PS3.5 section 7.5. Items inherit the
 * Specific Character Set of the data set holding the sequence unless they set their own (PS3.5 section 7.5.3).
 */
public final class Sequence implements Iterable<Attributes> {

    private final Attributes parent;
    private final List<Attributes> items = new ArrayList<>();

    Sequence(Attributes parent) {
        this.parent = parent;
    }

    /** Appends a new empty item and returns it. */
    public Attributes addNew() {
        Attributes item = new Attributes();
        add(item);
        return item;
    }

    /** Appends {@code item}, which becomes nested in this sequence's data set (it must not be nested elsewhere). */
    public void add(Attributes item) {
        item.setParent(parent);
        items.add(item);
    }

    public Attributes get(int index) {
        return items.get(index);
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** The items, read-only. */
    public List<Attributes> items() {
        return Collections.unmodifiableList(items);
    }

    @Override
    public Iterator<Attributes> iterator() {
        return items().iterator();
    }
}
