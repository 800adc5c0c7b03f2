package org.lesionlink.dicom.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.lesionlink.dicom.data.Tag;

/**
 * Finds the DICOM image instances under a folder, recursively, in path order. Every regular file is tried (DICOM
 * files often have no extension); gzip-compressed files are inflated. A file is skipped, with the reason, when it
 * does not parse as DICOM, is a DICOMDIR (media directory, PS3.10), or has no SeriesInstanceUID. Only headers stay
 * in memory (see {@link DicomInstance#read}).
 */
public final class DicomScanner {

    /** A file that is not used, and why. */
    public record Skipped(Path file, String reason) {
    }

    /** The instances found and the files skipped. */
    public record Result(List<DicomInstance> instances, List<Skipped> skipped) {
        public Result {
            instances = List.copyOf(instances);
            skipped = List.copyOf(skipped);
        }
    }

    private DicomScanner() {
    }

    /** Scans {@code root} (a folder, searched recursively, or a single file). */
    public static Result scan(Path root) throws IOException {
        List<Path> files;
        if (Files.isRegularFile(root)) {
            files = List.of(root);
        } else {
            if (!Files.isDirectory(root)) {
                throw new java.nio.file.NoSuchFileException(root.toString());
            }
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
        }
        List<DicomInstance> instances = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path f : files) {
            DicomInstance inst;
            try {
                inst = DicomInstance.read(f);
            } catch (IOException | RuntimeException e) {
                skipped.add(new Skipped(f, "not readable as DICOM: " + e.getMessage()));
                continue;
            }
            if (inst.header().contains(Tags.DirectoryRecordSequence)) {
                skipped.add(new Skipped(f, "DICOMDIR (media storage directory)"));
            } else if (inst.header().getString(Tag.SeriesInstanceUID) == null) {
                skipped.add(new Skipped(f, "no SeriesInstanceUID (not an image instance)"));
            } else {
                instances.add(inst);
            }
        }
        return new Result(instances, skipped);
    }
}
