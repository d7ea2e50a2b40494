package dev.nightjar.train;

import dev.nightjar.io.AtomicFiles;
import dev.nightjar.io.CommitFence;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.OutputWriteException;
import dev.nightjar.model.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-epoch checkpoints of a run date, {@code checkpoints/run_date=D/epoch-NNN/}: the network with
 * its updater state, and the {@link TrainingState}. Each is committed atomically, so the newest one
 * present is always whole. Only the newest and the best epoch's checkpoints are kept.
 */
final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final String STATE_FILE = "state.json";
  private static final String PREFIX = "epoch-";

  private final Configuration conf;
  private final OutputLayout layout;
  private final CommitFence fence;

  CheckpointStore(Configuration conf, OutputLayout layout, CommitFence fence) {
    this.conf = conf;
    this.layout = layout;
    this.fence = fence;
  }

  private Path epochDir(int epoch) {
    return new Path(layout.checkpoints(), String.format("%s%03d", PREFIX, epoch));
  }

  /**
   * Saves the network and state after {@code state.completedEpochs()} epochs. The state file is
   * written last, in one atomic replace: a checkpoint without it is incomplete and never read, so a
   * run that dies while saving resumes from the checkpoint before.
   */
  void save(MultiLayerNetwork network, TrainingState state) {
    int epoch = state.completedEpochs();
    Path dir = epochDir(epoch);
    try {
      FileSystem fs = dir.getFileSystem(conf);
      fs.delete(dir, true);
      ModelStore.writeNetwork(conf, dir, network);
    } catch (IOException e) {
      throw new OutputWriteException(dir, e);
    }
    fence.check(dir);
    AtomicFiles.replace(
        conf,
        new Path(dir, STATE_FILE),
        JsonFiles.toJson(state).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    prune(epoch, state.bestEpoch());
  }

  /** The state of the newest checkpoint, if there is one. */
  Optional<TrainingState> latest() {
    java.util.OptionalInt newest = completedEpochs().max();
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        JsonFiles.read(
            conf, new Path(epochDir(newest.getAsInt()), STATE_FILE), TrainingState.class));
  }

  /** The network with its updater state, as it was after {@code epoch}. */
  MultiLayerNetwork network(int epoch) {
    return ModelStore.loadNetwork(conf, epochDir(epoch), true);
  }

  /** Removes every checkpoint of the run date, e.g. before a fresh start. */
  void clear() {
    try {
      Path dir = layout.checkpoints();
      FileSystem fs = dir.getFileSystem(conf);
      if (fs.exists(dir)) {
        fs.delete(dir, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear checkpoints in " + layout.checkpoints(), e);
    }
  }

  private java.util.stream.IntStream completedEpochs() {
    try {
      Path dir = layout.checkpoints();
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) {
        return java.util.stream.IntStream.empty();
      }
      List<String> complete = new ArrayList<>();
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        if (name.matches(PREFIX + "\\d+") && fs.exists(new Path(status.getPath(), STATE_FILE))) {
          complete.add(name);
        }
      }
      return complete.stream()
          .mapToInt(name -> Integer.parseInt(name.substring(PREFIX.length())))
          .sorted();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + layout.checkpoints(), e);
    }
  }

  private void prune(int newest, int best) {
    completedEpochs()
        .filter(e -> e != newest && e != best)
        .forEach(
            epoch -> {
              try {
                Path dir = epochDir(epoch);
                dir.getFileSystem(conf).delete(dir, true);
              } catch (IOException e) {
                LOG.warn("Could not delete old checkpoint {}: {}", epochDir(epoch), e.getMessage());
              }
            });
  }
}
