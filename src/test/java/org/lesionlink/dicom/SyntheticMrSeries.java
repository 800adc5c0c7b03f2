package org.lesionlink.dicom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.ElementDictionary;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.seg.SourceSeries;
import org.lesionlink.image.Affine;
import org.lesionlink.image.Geometry;

/**
 * Small synthetic single-frame MR series for tests: an oblique, anisotropic grid in LPS (the DICOM patient
 * coordinate system), one MR Image Storage instance per slice with consistent Patient/Study/Series/Frame of
 * Reference attributes and Image Plane Module geometry (IPP, IOP, PixelSpacing), and 16-bit pixels.
 *
 * @param geometry the grid in LesionLink's RAS convention (i = column index, j = row index, k = slice)
 * @param slices the instances in k order
 */
public record SyntheticMrSeries(Geometry geometry, List<Attributes> slices) {

    /**
     * A series of {@code nz} slices of {@code ny} rows by {@code nx} columns, rotated 20 degrees about z and 10
     * about x, with spacing 0.9 x 1.1 mm in plane and 3 mm between slices.
     */
    public static SyntheticMrSeries oblique(int nx, int ny, int nz, String seed) {
        double a = Math.toRadians(20);
        double b = Math.toRadians(10);
        double[][] rz = {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}};
        double[][] rx = {{1, 0, 0}, {0, Math.cos(b), -Math.sin(b)}, {0, Math.sin(b), Math.cos(b)}};
        double[][] r = multiply(rz, rx);
        double[] spacing = {0.9, 1.1, 3.0};
        double[][] lin = new double[3][3];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                lin[row][col] = r[row][col] * spacing[col];
            }
        }
        Affine ijkToLps = Affine.of(lin, new double[] {-100.25, -120.5, 30.75});
        return of(Geometry.fromIjkToLps(new int[] {nx, ny, nz}, ijkToLps), seed);
    }

    /** MR instances on {@code geometry}; UIDs are derived from {@code seed}, so a seed gives the same series. */
    public static SyntheticMrSeries of(Geometry geometry, String seed) {
        String study = UID.nameBased(seed + "|study");
        String series = UID.nameBased(seed + "|series");
        String frame = UID.nameBased(seed + "|for");
        int nx = geometry.dim(0);
        int ny = geometry.dim(1);
        Affine ijkToLps = geometry.ijkToLps();
        double[] row = unit(ijkToLps, 0);
        double[] col = unit(ijkToLps, 1);
        List<Attributes> slices = new ArrayList<>();
        for (int k = 0; k < geometry.dim(2); k++) {
            Attributes a = new Attributes();
            a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
            a.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "OTHER");
            a.setString(Tag.SOPClassUID, VR.UI, UID.MRImageStorage);
            a.setString(Tag.SOPInstanceUID, VR.UI, UID.nameBased(seed + "|sop|" + k));
            a.setString(Tag.StudyDate, VR.DA, "20240102");
            a.setString(Tag.SeriesDate, VR.DA, "20240102");
            a.setString(Tag.StudyTime, VR.TM, "101500");
            a.setString(Tag.SeriesTime, VR.TM, "101600");
            a.setString(Tag.AccessionNumber, VR.SH, "ACC42");
            a.setString(Tag.Modality, VR.CS, "MR");
            a.setString(Tag.Manufacturer, VR.LO, "Synthetic");
            a.setString(Tag.ReferringPhysicianName, VR.PN, "Référent^Zoë");
            a.setString(Tag.StudyDescription, VR.LO, "Brain metastases follow-up");
            a.setString(Tag.SeriesDescription, VR.LO, "T1 post-contrast (synthetic)");
            a.setString(Tag.PatientName, VR.PN, "Müller^Jürgen");
            a.setString(Tag.PatientID, VR.LO, "LL-0001");
            a.setString(Tag.PatientBirthDate, VR.DA, "19600101");
            a.setString(Tag.PatientSex, VR.CS, "M");
            a.setString(tag("PatientPosition"), VR.CS, "HFS");
            a.setNull(Tag.Laterality, VR.CS);
            a.setString(tag("ScanningSequence"), VR.CS, "SE");
            a.setString(tag("SequenceVariant"), VR.CS, "NONE");
            a.setNull(tag("ScanOptions"), VR.CS);
            a.setString(tag("MRAcquisitionType"), VR.CS, "2D");
            a.setDouble(Tag.SliceThickness, VR.DS, geometry.spacing(2));
            a.setDouble(tag("RepetitionTime"), VR.DS, 500);
            a.setDouble(tag("EchoTime"), VR.DS, 15);
            a.setInt(tag("EchoTrainLength"), VR.IS, 1);
            a.setString(Tag.StudyInstanceUID, VR.UI, study);
            a.setString(Tag.SeriesInstanceUID, VR.UI, series);
            a.setString(Tag.StudyID, VR.SH, "1");
            a.setInt(Tag.SeriesNumber, VR.IS, 3);
            a.setInt(Tag.InstanceNumber, VR.IS, k + 1);
            a.setString(tag("PatientOrientation"), VR.CS, "");
            a.setDouble(Tag.ImagePositionPatient, VR.DS, ijkToLps.apply(0, 0, k));
            a.setDouble(Tag.ImageOrientationPatient, VR.DS, row[0], row[1], row[2], col[0], col[1], col[2]);
            a.setString(Tag.FrameOfReferenceUID, VR.UI, frame);
            a.setNull(Tag.PositionReferenceIndicator, VR.LO);
            a.setInt(Tag.SamplesPerPixel, VR.US, 1);
            a.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
            a.setInt(Tag.Rows, VR.US, ny);
            a.setInt(Tag.Columns, VR.US, nx);
            a.setDouble(Tag.PixelSpacing, VR.DS, geometry.spacing(1), geometry.spacing(0));
            a.setInt(Tag.BitsAllocated, VR.US, 16);
            a.setInt(Tag.BitsStored, VR.US, 12);
            a.setInt(Tag.HighBit, VR.US, 11);
            a.setInt(Tag.PixelRepresentation, VR.US, 0);
            ByteBuffer px = ByteBuffer.allocate(nx * ny * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    px.putShort((short) ((i * 7 + j * 13 + k * 29) % 4096));
                }
            }
            a.setBytes(Tag.PixelData, VR.OW, px.array());
            slices.add(a);
        }
        return new SyntheticMrSeries(geometry, List.copyOf(slices));
    }

    /** The series as a segmentation source. */
    public SourceSeries source() {
        List<SourceSeries.SourceImage> imgs = new ArrayList<>();
        for (Attributes a : slices) {
            imgs.add(new SourceSeries.SourceImage(a.getString(Tag.SOPClassUID), a.getString(Tag.SOPInstanceUID)));
        }
        return new SourceSeries(slices.get(0), imgs);
    }

    /** Writes the slices as {@code mr001.dcm}... in explicit VR LE; returns the files. */
    public List<Path> write(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < slices.size(); k++) {
            Path f = dir.resolve(String.format("mr%03d.dcm", k + 1));
            DicomWriter.write(f, slices.get(k), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            files.add(f);
        }
        return files;
    }

    private static int tag(String keyword) {
        return ElementDictionary.standard().lookup(keyword).orElseThrow().tag();
    }

    private static double[] unit(Affine a, int c) {
        double n = Math.sqrt(a.get(0, c) * a.get(0, c) + a.get(1, c) * a.get(1, c) + a.get(2, c) * a.get(2, c));
        return new double[] {a.get(0, c) / n, a.get(1, c) / n, a.get(2, c) / n};
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        double[][] p = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) {
                    p[r][c] += x[r][k] * y[k][c];
                }
            }
        }
        return p;
    }
}
