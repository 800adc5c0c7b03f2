package org.lesionlink.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiHeader;
import org.lesionlink.io.nifti.NiftiReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lesionlink info FILE [--json] [--checksum]}: geometry and voxel type of an image. Reads only the
 * header unless {@code --checksum} asks for the voxels.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the geometry (RAS, voxel centres) and voxel type of a NIfTI image.")
final class InfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "A NIfTI-1/2 image (.nii, .nii.gz, .hdr/.img).")
    Path file;

    @Option(names = "--json", description = "Print one JSON object: dims, spacing, ijkToRas (row-major rows), datatype, channels.")
    boolean json;

    @Option(names = "--checksum", description = "Also read the voxels and report the SHA-256 of the values as held in memory "
            + "(little-endian, NIfTI order, all channels).")
    boolean checksum;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NiftiReader reader = new NiftiReader();
        NiftiHeader header = reader.readHeader(file);
        Geometry g = header.geometry();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("file", file.toString());
        info.put("format", "nifti" + header.version());
        info.put("dims", g.dims());
        info.put("spacing", g.spacing());
        info.put("ijkToRas", g.ijkToRas().toRows());
        info.put("datatype", header.niftiDatatype()
                .map(t -> t.name().toLowerCase(Locale.ROOT))
                .orElse("unknown(" + header.datatype() + ")"));
        info.put("channels", header.frames() * header.niftiDatatype().map(t -> t.components()).orElse(1));
        info.put("orientationSource", header.xformSource().name().toLowerCase(Locale.ROOT));
        Volume.Rescale r = header.rescale();
        if (!r.isIdentity()) {
            info.put("rescale", Map.of("slope", r.slope(), "intercept", r.intercept()));
        }
        if (checksum) {
            Volume v = reader.readVolume(file);
            info.put("storedAs", v.type().id());
            info.put("sha256", sha256(v));
        }

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(info));
        } else {
            info.forEach((k, v) -> out.println(k + ": " + text(v)));
        }
        out.flush();
        return 0;
    }

    private static String text(Object v) {
        if (v instanceof int[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof double[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof double[][] m) {
            return Arrays.deepToString(m);
        }
        return String.valueOf(v);
    }

    static String sha256(Volume v) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int c = 0; c < v.channels(); c++) {
            ByteBuffer b = v.data(c);
            md.update(b);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
