package dev.nightjar.data;

import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A committed prepare output: its folder and the manifest that describes it.
 *
 * @param dir holds the shards and the manifest ({@code prepared/run_date=D})
 */
public record PreparedData(Path dir, DataManifest manifest) {
  public static PreparedData read(Configuration conf, Path dir) {
    return new PreparedData(
        dir, JsonFiles.read(conf, new Path(dir, OutputLayout.MANIFEST), DataManifest.class));
  }
}
