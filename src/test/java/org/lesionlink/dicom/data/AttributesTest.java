package org.lesionlink.dicom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AttributesTest {

    @Test
    void typedValuesRoundTrip() {
        Attributes a = new Attributes();
        a.setInt(Tag.Rows, VR.US, 512);
        a.setInt(Tag.NumberOfFrames, VR.IS, 3);
        a.setDouble(Tag.PixelSpacing, VR.DS, 0.5, 1.0 / 3);
        a.setDouble(0x00189087, VR.FD, 1000.5); // DiffusionBValue
        a.setInt(Tag.DimensionIndexPointer, VR.AT, Tag.ImagePositionPatient);
        a.setString(Tag.ImageType, VR.CS, "DERIVED", "PRIMARY");
        a.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        assertEquals(512, a.getInt(Tag.Rows, 0));
        assertEquals(3, a.getInt(Tag.NumberOfFrames, 0));
        assertEquals("0.33333333333333", a.getStrings(Tag.PixelSpacing)[1]); // 16 characters at most
        assertEquals(1.0 / 3, a.getDoubles(Tag.PixelSpacing)[1], 1e-13);
        assertEquals(1000.5, a.getDouble(0x00189087, 0));
        assertEquals(Tag.ImagePositionPatient, a.getInt(Tag.DimensionIndexPointer, 0));
        assertEquals("00200032", a.getString(Tag.DimensionIndexPointer));
        assertArrayEquals(new String[] {"DERIVED", "PRIMARY"}, a.getStrings(Tag.ImageType));
        int[] tags = a.tags();
        for (int i = 1; i < tags.length; i++) {
            assertTrue(Tag.compare(tags[i - 1], tags[i]) < 0, "elements in tag order");
        }
        assertNull(a.getString(Tag.PatientName));
        a.setNull(Tag.PatientName, VR.PN);
        assertEquals(0, a.getStrings(Tag.PatientName).length);
    }

    @Test
    void decimalStringsFitSixteenCharacters() {
        for (double v : new double[] {0, -0.0, 1, -1.5, 1e-20, 123456789.123456789, -0.000123456789123, 6.02214076e23, Math.PI}) {
            String s = Attributes.formatDS(v);
            assertTrue(s.length() <= 16, s);
            assertEquals(v, Double.parseDouble(s), Math.abs(v) * 1e-9 + 1e-300, s);
        }
        assertEquals("1", Attributes.formatDS(1.0));
        assertEquals("-120.5", Attributes.formatDS(-120.5));
    }

    @Test
    void charactersSetsIsoIr100AndUtf8() {
        Attributes latin = new Attributes();
        latin.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        latin.setString(Tag.PatientName, VR.PN, "Müller^Zoë");
        assertArrayEquals("Müller^Zoë".getBytes(StandardCharsets.ISO_8859_1), latin.getBytes(Tag.PatientName));
        assertEquals("Müller^Zoë", latin.getString(Tag.PatientName));

        Attributes utf8 = new Attributes();
        utf8.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        utf8.setString(Tag.PatientName, VR.PN, "Wang^XiaoDong=王^小東");
        assertArrayEquals("Wang^XiaoDong=王^小東".getBytes(StandardCharsets.UTF_8), utf8.getBytes(Tag.PatientName));
        // items inherit the character set of the data set that holds them
        Attributes item = utf8.newSequence(0x00081120).addNew(); // ReferencedPatientSequence
        item.setString(Tag.PatientName, VR.PN, "小東");
        assertEquals("小東", item.getString(Tag.PatientName));
        // CS values are never decoded with the character set
        assertEquals(SpecificCharacterSet.DEFAULT, SpecificCharacterSet.of(""));
        assertEquals(StandardCharsets.UTF_8, SpecificCharacterSet.of("ISO_IR 192").charset());
    }

    @Test
    void privateElementsNeedTheirCreator() {
        Attributes a = new Attributes();
        assertEquals(-1, a.privateTag("LESIONLINK", 0x0029, 0x01, false));
        int t = a.privateTag("LESIONLINK", 0x0029, 0x01, true);
        assertEquals(0x00291001, t);
        a.setString(t, VR.LO, "model v1");
        int other = a.privateTag("OTHER VENDOR", 0x0029, 0x01, true);
        assertEquals(0x00291101, other);
        assertEquals(t, a.privateTag("LESIONLINK", 0x0029, 0x01, false));
        assertEquals("LESIONLINK", a.privateCreatorOf(t));
        assertThrows(IllegalArgumentException.class, () -> a.privateTag("X", 0x0028, 1, true));
    }

    @Test
    void deepCopyIsIndependentAndDumpIsReadable() {
        Attributes a = new Attributes();
        a.setString(Tag.PatientID, VR.LO, "P1");
        Attributes item = a.newSequence(Tag.ReferencedSeriesSequence).addNew();
        item.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3");
        Attributes copy = a.deepCopy();
        copy.getNestedDataset(Tag.ReferencedSeriesSequence).setString(Tag.SeriesInstanceUID, VR.UI, "9.9");
        assertEquals("1.2.3", a.getNestedDataset(Tag.ReferencedSeriesSequence).getString(Tag.SeriesInstanceUID));
        String dump = a.toString();
        assertTrue(dump.contains("(0010,0020) LO [P1]  # 2 PatientID"), dump);
        assertTrue(dump.contains("(0008,1115) SQ (Sequence with 1 items)  # ReferencedSeriesSequence"), dump);
        assertTrue(dump.contains("    (0020,000e) UI [1.2.3]"), dump);
    }
}
