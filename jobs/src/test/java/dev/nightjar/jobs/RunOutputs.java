package dev.nightjar.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightjar.data.DataManifest;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.Function;
import java.util.stream.Stream;

/** The outputs of one run date under a local output root, where Nightjar's layout puts them. */
record RunOutputs(Path root, LocalDate date) {
  private OutputLayout layout() {
    return new OutputLayout(root.toString(), date);
  }

  Path prepared() {
    return local(layout().prepared());
  }

  Path models() {
    return local(layout().models());
  }

  Path optimized() {
    return local(layout().optimized());
  }

  Path trainMetrics() {
    return local(layout().trainMetrics());
  }

  Path predictions() {
    return local(layout().predictions());
  }

  Path checkpoints() {
    return local(layout().checkpoints());
  }

  /** The committed model's metadata ({@code model.json}). */
  JsonNode model() throws IOException {
    return new ObjectMapper().readTree(models().resolve(ModelStore.METADATA_FILE).toFile());
  }

  /** The prepared data's manifest. */
  DataManifest manifest() {
    return JsonFiles.read(
        new org.apache.hadoop.conf.Configuration(),
        new org.apache.hadoop.fs.Path(prepared().resolve(OutputLayout.MANIFEST).toUri()),
        DataManifest.class);
  }

  /** Copies one output of the run date from {@code source}, e.g. {@code RunOutputs::prepared}. */
  RunOutputs copyFrom(RunOutputs source, Function<RunOutputs, Path> output) throws IOException {
    Path from = output.apply(source);
    Path to = output.apply(this);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return this;
  }

  /** Where readers find {@code path}: the version its commit record names, or the path itself. */
  private Path local(org.apache.hadoop.fs.Path path) {
    java.net.URI published =
        PublishedOutputs.resolve(
                new org.apache.hadoop.conf.Configuration(),
                new org.apache.hadoop.fs.Path(root.toString()),
                path)
            .toUri();
    return published.getScheme() == null ? Path.of(published.getPath()) : Path.of(published);
  }
}
