package org.lesionlink.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.net.dimse.DimseResponse;
import org.lesionlink.dicom.net.dimse.StoreScu;
import org.lesionlink.dicom.net.dimse.StoredInstance;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;
import org.lesionlink.testing.Peers;

/**
 * Orthanc 1.10 (Debian) against LesionLink on loopback, one Orthanc for the class: Orthanc pushes a study to our SCP
 * through its REST API (its ~128-context proposal), our SCU stores a SEG into Orthanc and finds it over REST, and C-FIND
 * and C-MOVE SCU (Study Root) against Orthanc, moving to our own SCP.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrthancInteropTest {

    Path tmp;

    NetTesting.Scp scp;
    OrthancPeer orthanc;
    DicomClient client;

    static final Path MR = NetTesting.PYDICOM_FILES.resolve("MR_small.dcm");
    static final Path CT = NetTesting.PYDICOM_FILES.resolve("CT_small.dcm");

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        Peers.requireFile(MR, "pydicom test files");
        scp = NetTesting.startScp("LESIONLINK", tmp.resolve("store"));
        orthanc = OrthancPeer.start(tmp.resolve("orthanc"),
                List.of(new OrthancPeer.Modality("lesionlink", "LESIONLINK", scp.port())));
        client = new DicomClient(AssociationSettings.of("LESIONLINK"));
        for (Path f : List.of(MR, CT)) {
            orthanc.postBytes("/instances", Files.readAllBytes(f));
        }
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (orthanc != null) {
            orthanc.close();
        }
        if (scp != null) {
            scp.close();
        }
    }

    @Test
    void orthancPushesAStudyToOurScpOverRest() throws Exception {
        String study = orthanc.post("/tools/lookup", dataset(CT).getString(Tag.StudyInstanceUID)).get(0).get("ID").asText();
        int before = scp.stored().size();
        JsonNode job = orthanc.post("/modalities/lesionlink/store",
                "{\"Resources\":[\"" + study + "\"],\"Synchronous\":true}");
        assertEquals(0, job.get("FailedInstancesCount").asInt(), job.toString());
        List<StoredInstance> got = scp.stored().subList(before, scp.stored().size());
        assertEquals(1, got.size(), job + "\n" + orthanc.log());
        assertEquals("ORTHANC", got.get(0).callingAeTitle());
        assertArrayEquals(NetTesting.canonical(CT), NetTesting.canonical(got.get(0).file()));
    }

    @Test
    void ourScuStoresASegIntoOrthancAndRestFindsIt() throws Exception {
        List<Path> files = NetTesting.mrSeriesWithSeg(tmp.resolve("seg"));
        List<StoreScu.Instance> instances = new ArrayList<>();
        for (Path f : files) {
            instances.add(StoreScu.probe(f));
        }
        Association as = client.open("127.0.0.1", orthanc.dicomPort(), "ORTHANC", StoreScu.presentationContexts(instances));
        for (StoreScu.Instance i : instances) {
            DimseResponse r = StoreScu.store(as, i);
            assertEquals(0, r.status(), r.toString());
        }
        as.release();
        StoreScu.Instance seg = instances.get(instances.size() - 1);
        assertEquals(UID.SegmentationStorage, seg.sopClassUid());
        JsonNode found = orthanc.post("/tools/lookup", seg.sopInstanceUid());
        assertEquals("Instance", found.get(0).get("Type").asText(), found.toString());
        byte[] back = orthanc.getBytes("/instances/" + found.get(0).get("ID").asText() + "/file");
        Path backFile = tmp.resolve("seg-from-orthanc.dcm");
        Files.write(backFile, back);
        assertArrayEquals(NetTesting.canonical(seg.file()), NetTesting.canonical(backFile));
        JsonNode series = orthanc.post("/tools/find", "{\"Level\":\"Series\",\"Query\":{\"Modality\":\"SEG\"}}");
        assertTrue(series.size() >= 1, series.toString());
    }

    @Test
    void cFindStudyAndSeriesLevelThenCMoveToOurOwnScp() throws Exception {
        Attributes ct = dataset(CT);
        String studyUid = ct.getString(Tag.StudyInstanceUID);
        Association as = client.open("127.0.0.1", orthanc.dicomPort(), "ORTHANC", List.of(
                new PresentationContextRq(1, UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian,
                        UID.ImplicitVRLittleEndian),
                new PresentationContextRq(3, UID.StudyRootQueryRetrieveInformationModelMove, UID.ExplicitVRLittleEndian,
                        UID.ImplicitVRLittleEndian)));
        Attributes studyKeys = new Attributes();
        studyKeys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        studyKeys.setNull(Tag.StudyInstanceUID, VR.UI);
        studyKeys.setNull(Tag.PatientName, VR.PN);
        studyKeys.setNull(0x00080061, VR.CS); // ModalitiesInStudy
        List<Attributes> studies = new ArrayList<>();
        DimseResponse fin = as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, studyKeys, studies::add);
        assertEquals(0, fin.status(), fin.toString());
        Set<String> studyUids = new TreeSet<>();
        studies.forEach(s -> studyUids.add(s.getString(Tag.StudyInstanceUID)));
        assertTrue(studyUids.contains(studyUid), studyUids.toString());

        Attributes seriesKeys = new Attributes();
        seriesKeys.setString(Tag.QueryRetrieveLevel, VR.CS, "SERIES");
        seriesKeys.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        seriesKeys.setNull(Tag.SeriesInstanceUID, VR.UI);
        seriesKeys.setNull(Tag.Modality, VR.CS);
        List<Attributes> series = new ArrayList<>();
        assertEquals(0, as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, seriesKeys, series::add).status());
        assertEquals(1, series.size(), series.toString());
        assertEquals(ct.getString(Tag.SeriesInstanceUID), series.get(0).getString(Tag.SeriesInstanceUID));
        assertEquals("CT", series.get(0).getString(Tag.Modality));

        Attributes moveKeys = new Attributes();
        moveKeys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        moveKeys.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        int before = scp.stored().size();
        DimseResponse moved = as.cmove(UID.StudyRootQueryRetrieveInformationModelMove, moveKeys, "LESIONLINK", r -> { });
        assertEquals(0, moved.status(), moved.toString());
        assertEquals(1, moved.command().getInt(Tag.NumberOfCompletedSuboperations, -1), moved.command().toString());
        as.release();
        List<StoredInstance> got = scp.stored().subList(before, scp.stored().size());
        assertEquals(1, got.size());
        assertArrayEquals(NetTesting.canonical(CT), NetTesting.canonical(got.get(0).file()));
    }

    @Test
    void moveToAnUnknownDestinationFails() throws Exception {
        Association as = client.open("127.0.0.1", orthanc.dicomPort(), "ORTHANC", List.of(
                new PresentationContextRq(1, UID.StudyRootQueryRetrieveInformationModelMove, UID.ImplicitVRLittleEndian)));
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.StudyInstanceUID, VR.UI, dataset(CT).getString(Tag.StudyInstanceUID));
        DimseResponse r = as.cmove(UID.StudyRootQueryRetrieveInformationModelMove, keys, "NOBODY", x -> { });
        assertTrue(org.lesionlink.dicom.net.dimse.Status.isFailure(r.status()), r.toString());
        as.release();
    }

    static Attributes dataset(Path f) throws java.io.IOException {
        return NetTesting.dataset(f);
    }
}
