package org.lesionlink.dicom.volume;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Element;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomException;
import org.lesionlink.dicom.io.DicomFile;
import org.lesionlink.dicom.io.DicomReader;

/**
 * One DICOM instance as volume assembly sees it: its header (the data set without pixel data), the transfer
 * syntax it was encoded in, and a way to get its native pixel bytes when they are needed.
 *
 * <p>Instances read from files ({@link #read}) keep only the header in memory and read the file again for the
 * pixels, so scanning a large study costs the headers, not the pixel data. A file whose first two bytes are the
 * gzip magic ({@code 1F 8B}) is inflated first (nibabel ships test files as {@code .dcm.gz}). Instances made from a
 * data set in memory ({@link #of}) keep a reference to its Pixel Data element. Immutable.
 */
public final class DicomInstance {

    /** What kind of pixel data the instance carries. */
    public enum PixelKind {
        /** No (7FE0,0010) Pixel Data (header-only stubs, non-image objects). */
        NONE,
        /** Native (uncompressed) Pixel Data: an OB/OW value holding the frames one after another. */
        NATIVE,
        /** Encapsulated (compressed) Pixel Data fragments, PS3.5 A.4. */
        ENCAPSULATED,
        /** Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009), without integer Pixel Data. */
        FLOAT
    }

    private final String source;
    private final Path file;
    private final Attributes header;
    private final TransferSyntax transferSyntax;
    private final PixelKind pixelKind;
    private final VR pixelVr;
    private final Element inMemoryPixels;

    private DicomInstance(String source, Path file, Attributes header, TransferSyntax ts, PixelKind kind, VR pixelVr,
            Element inMemoryPixels) {
        this.source = source;
        this.file = file;
        this.header = header;
        this.transferSyntax = ts;
        this.pixelKind = kind;
        this.pixelVr = pixelVr;
        this.inMemoryPixels = inMemoryPixels;
    }

    /** An instance from a data set in memory (the data set must not be modified afterwards). */
    public static DicomInstance of(Attributes dataset, TransferSyntax transferSyntax, String source) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(transferSyntax, "transferSyntax");
        Element px = dataset.get(Tag.PixelData);
        Attributes header = stripped(dataset);
        return new DicomInstance(source, null, header, transferSyntax, kindOf(dataset), px == null ? null : px.vr(),
                px != null && !px.isFragments() ? px : null);
    }

    /** Explicit VR little endian instance from a data set in memory; the source is its SOP Instance UID. */
    public static DicomInstance of(Attributes dataset) {
        return of(dataset, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, dataset.getString(Tag.SOPInstanceUID, "(in memory)"));
    }

    /** Reads a DICOM file (gzip-compressed or not), keeping the header only. */
    public static DicomInstance read(Path file) throws IOException {
        DicomFile f = parse(file);
        Attributes ds = f.dataset();
        Element px = ds.get(Tag.PixelData);
        return new DicomInstance(file.toString(), file, stripped(ds), f.transferSyntax(), kindOf(ds),
                px == null ? null : px.vr(), null);
    }

    /** The DICOM file at {@code file}, inflated first when it is gzip-compressed. */
    static DicomFile parse(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new DicomException(file.toString(), -1, "gzip magic but not a readable gzip stream: " + e.getMessage(), e);
            }
        }
        return new DicomReader().read(bytes, file.toString());
    }

    private static Attributes stripped(Attributes ds) {
        Attributes h = ds.deepCopy();
        h.remove(Tag.PixelData);
        h.remove(Tags.FloatPixelData);
        h.remove(Tags.DoubleFloatPixelData);
        return h;
    }

    private static PixelKind kindOf(Attributes ds) {
        Element px = ds.get(Tag.PixelData);
        if (px == null) {
            return ds.contains(Tags.FloatPixelData) || ds.contains(Tags.DoubleFloatPixelData) ? PixelKind.FLOAT : PixelKind.NONE;
        }
        return px.isFragments() ? PixelKind.ENCAPSULATED : PixelKind.NATIVE;
    }

    /** The file name, or a description for instances built in memory. */
    public String source() {
        return source;
    }

    /** The data set without its pixel data; callers must not modify it. */
    public Attributes header() {
        return header;
    }

    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    public PixelKind pixelKind() {
        return pixelKind;
    }

    /** VR of the Pixel Data element (OB or OW), or {@code null}. */
    public VR pixelVr() {
        return pixelVr;
    }

    /**
     * The native Pixel Data value, little endian (the reader swaps big-endian OW words on input), positioned at
     * the first byte of frame 1. Reads the file again for instances made by {@link #read}.
     */
    public ByteBuffer pixelData() throws IOException {
        if (pixelKind != PixelKind.NATIVE) {
            throw new IllegalStateException(source + ": no native pixel data (" + pixelKind + ")");
        }
        Element e = inMemoryPixels;
        if (e == null) {
            e = parse(file).dataset().get(Tag.PixelData);
            if (e == null || e.isFragments()) {
                throw new DicomException(source, -1, "the file changed since it was scanned: its pixel data is gone");
            }
        }
        return e.buffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return "DicomInstance[" + source + "]";
    }
}
