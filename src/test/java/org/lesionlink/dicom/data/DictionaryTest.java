package org.lesionlink.dicom.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hand-written constants against the generated dictionaries, and the VR table against PS3.5. */
class DictionaryTest {

    @Test
    void everyTagConstantIsNamedByItsKeyword() throws IllegalAccessException {
        int n = 0;
        for (Field f : Tag.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                int tag = f.getInt(null);
                assertEquals(f.getName(), ElementDictionary.standard().lookup(tag).orElseThrow().keyword(), Tag.toString(tag));
                n++;
            }
        }
        assertTrue(n > 100, "constants checked: " + n);
    }

    @Test
    void everyUidConstantIsNamedByItsKeyword() throws IllegalAccessException {
        for (Field f : UID.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String uid = (String) f.get(null);
                assertEquals(f.getName(), UidDictionary.standard().lookup(uid).orElseThrow().keyword(), uid);
            }
        }
    }

    @Test
    void dictionaryHasTheStandardsEntries() {
        ElementDictionary d = ElementDictionary.standard();
        assertTrue(d.size() > 4900, "entries: " + d.size());
        var pn = d.lookup(Tag.PatientName).orElseThrow();
        assertEquals(List.of(VR.PN), pn.vrs());
        assertEquals("Patient's Name", pn.name());
        assertEquals(List.of(VR.OB, VR.OW), d.lookup(Tag.PixelData).orElseThrow().vrs());
        assertEquals(VR.SQ, d.lookup("SegmentSequence").orElseThrow().vr());
        assertEquals("OverlayData", d.keywordOf(0x60023000)); // repeating group 60xx
        assertEquals(VR.LO, d.vrOf(0x00291010 & 0xFFFF0000 | 0x0010)); // private creator
        assertEquals(VR.UN, d.vrOf(0x00291010));
        assertEquals(VR.UL, d.vrOf(0x00080000));
        assertEquals(VR.UL, d.vrOf(Tag.CommandGroupLength));
        assertTrue(d.lookup(Tag.CommandGroupLength).isPresent(), "PS3.7 command elements are in");
        assertEquals("Segmentation Storage", UID.nameOf(UID.SegmentationStorage));
        assertTrue(UidDictionary.standard().size() > 400);
    }

    @Test
    void vrHeadersAndPaddingFollowPs35() {
        for (VR vr : VR.values()) {
            boolean longHeader = List.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV").contains(vr.name());
            assertEquals(longHeader ? 12 : 8, vr.explicitHeaderLength(), vr.name());
            assertEquals(vr, VR.ofCode(vr.code()));
        }
        assertEquals(34, VR.values().length);
        assertEquals(0, VR.UI.padding());
        assertEquals(' ', VR.LO.padding());
        assertEquals(0, VR.OB.padding());
        assertFalse(VR.LT.isMultiValued());
        assertTrue(VR.PN.usesSpecificCharacterSet());
        assertFalse(VR.CS.usesSpecificCharacterSet());
    }

    @Test
    void uids() {
        assertTrue(UID.isValid("1.2.840.10008.1.2"));
        assertFalse(UID.isValid("1.02.3"), "leading zero");
        assertFalse(UID.isValid("3.1.2"), "root");
        assertFalse(UID.isValid("1.2." + "3".repeat(63)), "over 64");
        String u = UID.fromUuid(new UUID(-1L, -1L));
        assertEquals("2.25.340282366920938463463374607431768211455", u);
        assertTrue(UID.isValid(UID.random()));
        assertEquals(UID.nameBased("x"), UID.nameBased("x"));
    }

    @Test
    void tagsOrderUnsigned() {
        assertTrue(Tag.compare(Tag.PixelData, 0xFFFEE000) < 0);
        assertEquals("(7FE0,0010)", Tag.toString(Tag.PixelData));
        assertEquals(Tag.PixelData, Tag.parse("(7fe0,0010)"));
        assertTrue(Tag.isPrivateCreator(0x00290010));
        assertFalse(Tag.isPrivateCreator(0x00291010));
    }
}
