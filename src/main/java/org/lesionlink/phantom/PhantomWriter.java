package org.lesionlink.phantom;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiWriter;

/**
 * Writes a {@link PhantomCase} as {@code DIR/caseNNN/}: one {@code NAME.nii.gz} per channel, {@code seg.nii.gz}
 * (uint8, same grid) and {@code lesions.json}. The bytes depend only on the case (gzip headers carry no
 * time, JSON keys keep their order, line ends are {@code \n}).
 */
public final class PhantomWriter {

    public static final String LABELS = "seg.nii.gz";
    public static final String DESCRIPTION = "lesions.json";

    private final NiftiWriter nifti = new NiftiWriter().withDescription("LesionLink phantom");
    private final ObjectWriter json = new ObjectMapper()
            .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    /** Writes the case into its folder under {@code outDir} (created if needed); returns the folder. */
    public Path write(PhantomCase c, Path outDir) throws IOException {
        Path dir = outDir.resolve(PhantomCase.folderName(c.index()));
        Files.createDirectories(dir);
        for (Map.Entry<String, Volume> e : c.images().entrySet()) {
            nifti.write(e.getValue(), dir.resolve(e.getKey() + ".nii.gz"));
        }
        nifti.write(c.labels(), dir.resolve(LABELS));
        Files.writeString(dir.resolve(DESCRIPTION), json.writeValueAsString(c.description()) + "\n", StandardCharsets.UTF_8);
        return dir;
    }
}
