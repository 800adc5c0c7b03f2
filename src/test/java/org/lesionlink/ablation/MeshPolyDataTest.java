package org.lesionlink.ablation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.message.CellArray;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.PolyDataMessage;

/** A zone mesh converts to an OpenIGTLink POLYDATA surface without reshaping (as the server will do it). */
class MeshPolyDataTest {

    @Test
    void meshBecomesPolyData() {
        Mesh m = Mesh.ellipsoid(Ellipsoid.of(ZoneSpec.manual(10, 10, 14, 6), new ProbePose(new Point3(1, 2, 3), new Point3(0, 1, 1))), 6, 12);
        int[] t = m.triangles();
        int[][] cells = new int[m.triangleCount()][];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = new int[] {t[3 * i], t[3 * i + 1], t[3 * i + 2]};
        }
        PolyDataMessage p = PolyDataMessage.surface(Envelope.v1("AblationZone"), m.points(), CellArray.of(cells));
        assertArrayEquals(m.points(), p.points());
        assertEquals(m.triangleCount(), p.polygons().cellCount());
    }
}
