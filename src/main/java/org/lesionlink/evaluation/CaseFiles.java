package org.lesionlink.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds the label maps of a folder of cases. Two layouts are accepted, and may be mixed:
 * <ul>
 *   <li>{@code DIR/CASE/seg.nii.gz} (or {@code seg.nii}): the case is the folder name;
 *   <li>{@code DIR/CASE.nii.gz} (or {@code CASE.nii}): the case is the file name without extension.
 * </ul>
 * A case present in both layouts is an error (which file would be meant is unclear). Case names are
 * returned in lexicographic order.
 */
public final class CaseFiles {

    private static final String[] SEG_NAMES = {"seg.nii.gz", "seg.nii"};

    private CaseFiles() {
    }

    /** Case name to file, for every case in {@code dir}. */
    public static Map<String, Path> discover(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a folder: " + dir);
        }
        Map<String, Path> cases = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path e : (Iterable<Path>) entries.sorted()::iterator) {
                String name = e.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                String caseId = null;
                Path file = null;
                if (Files.isDirectory(e)) {
                    for (String seg : SEG_NAMES) {
                        if (Files.isRegularFile(e.resolve(seg))) {
                            caseId = name;
                            file = e.resolve(seg);
                            break;
                        }
                    }
                } else if (name.endsWith(".nii.gz") || name.endsWith(".nii")) {
                    caseId = name.substring(0, name.length() - (name.endsWith(".gz") ? 7 : 4));
                    file = e;
                }
                if (caseId == null) {
                    continue;
                }
                Path before = cases.put(caseId, file);
                if (before != null) {
                    throw new IOException("case " + caseId + " appears twice in " + dir + ": " + before + " and " + file);
                }
            }
        }
        return cases;
    }

    /** The file of {@code caseId} in {@code dir} in either layout, or null. */
    public static Path find(Path dir, String caseId) {
        for (Path p : candidates(dir, caseId)) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Where {@link #find} looks, in order. */
    public static List<Path> candidates(Path dir, String caseId) {
        List<Path> c = new ArrayList<>();
        for (String seg : SEG_NAMES) {
            c.add(dir.resolve(caseId).resolve(seg));
        }
        c.add(dir.resolve(caseId + ".nii.gz"));
        c.add(dir.resolve(caseId + ".nii"));
        return c;
    }
}
